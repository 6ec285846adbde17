/**
 * Small files for the upload page's tests, each with its own stamp (test files share one database):
 * a standard v1 CSV, and a France-Services-style list whose name column has a name no guess knows.
 */
export function standardCsv(stamp: string, options: { rejected?: boolean } = {}) {
  const lines = [
    'id,nom,commune,code_postal,adresse,latitude,longitude,source,date_maj,telephone',
    `up-${stamp}-1,Espace Zqup ${stamp},Bourges,18000,1 rue Zqup,47.0811,2.3981,upload-${stamp},2024-01-01,` +
      '02.48.00.00.01',
    `up-${stamp}-2,Atelier Zqup ${stamp},Bourges,18000,2 rue Zqup,47.0911,2.4081,upload-${stamp},2024-01-01,`,
  ];
  if (options.rejected)
    lines.push(
      `up-${stamp}-3,Lieu sans code postal ${stamp},Bourges,180,3 rue Zqup,47.1,2.41,upload-${stamp},2024-01-01,`,
    );
  return Buffer.from(`${lines.join('\n')}\n`);
}

/** France Services' columns, but "Nom de la structure" instead of lib_fs: an unknown format. */
export function franceServicesLikeCsv(stamp: string) {
  const header =
    '"id_fs","Nom de la structure","adresse","code_postal","lib_com","latitude","longitude","mail","telephone",' +
    '"h_lundi","h_mardi","h_mercredi","h_jeudi","h_vendredi","h_samedi"';
  const row = (n: number, lat: number) =>
    `"fsup-${stamp}-${n}","France services Zqfsup ${stamp} ${n}","${n} place Zqfsup","18000","Bourges",` +
    `${lat},2.5${n},"fsup${n}@exemple.fr","02 48 00 00 0${n}",` +
    '"09:00 - 12:00 / 13:30 - 17:00","8h30-12h","","09:00 - 12:00","09:00 - 12:00",""';
  return Buffer.from(`${[header, row(1, 47.31), row(2, 47.41)].join('\n')}\n`);
}
