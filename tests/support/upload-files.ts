/**
 * Small files for the upload page's tests, each with its own stamp (test files share one database):
 * a standard v1 CSV, and a France-Services-style list whose name column has a name no guess knows.
 *
 * Each stamp also has its own phone numbers and its own spot: a similar name within 200 m, or the
 * same phone in the same commune, makes a duplicate, and an import would merge one test's rows into
 * another's places (test files run side by side).
 */
function hashOf(stamp: string) {
  let hash = 0;
  for (const char of stamp) hash = (hash * 31 + char.charCodeAt(0)) % 1_000_000;
  return hash;
}

/** One of 900 spots 330–440 m apart, so that two stamps seldom share one. */
function offsetOf(stamp: string) {
  const hash = hashOf(stamp);
  return { lat: (hash % 30) * 0.003, lon: (Math.floor(hash / 30) % 30) * 0.004 };
}

const at = (value: number) => value.toFixed(4);

function phoneOf(stamp: string, n: number) {
  const digits = `${String(hashOf(stamp)).padStart(6, '0')}${n % 10}`;
  return `02 4${digits[0]} ${digits.slice(1, 3)} ${digits.slice(3, 5)} ${digits.slice(5, 7)}`;
}

export function standardCsv(stamp: string, options: { rejected?: boolean } = {}) {
  const { lat, lon } = offsetOf(stamp);
  const lines = [
    'id,nom,commune,code_postal,adresse,latitude,longitude,source,date_maj,telephone',
    `up-${stamp}-1,Espace Zqup ${stamp},Bourges,18000,1 rue Zqup,${at(47.0811 + lat)},${at(2.3981 + lon)},` +
      `upload-${stamp},2024-01-01,${phoneOf(stamp, 1).replaceAll(' ', '.')}`,
    `up-${stamp}-2,Atelier Zqup ${stamp},Bourges,18000,2 rue Zqup,${at(47.0911 + lat)},${at(2.4081 + lon)},` +
      `upload-${stamp},2024-01-01,`,
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
  const offset = offsetOf(stamp);
  const row = (n: number, lat: number) =>
    `"fsup-${stamp}-${n}","France services Zqfsup ${stamp} ${n}","${n} place Zqfsup","18000","Bourges",` +
    `${at(lat + offset.lat)},${at(2.5 + n / 100 + offset.lon)},` +
    `"fsup${n}-${stamp}@exemple.fr","${phoneOf(stamp, n + 5)}",` +
    '"09:00 - 12:00 / 13:30 - 17:00","8h30-12h","","09:00 - 12:00","09:00 - 12:00",""';
  return Buffer.from(`${[header, row(1, 47.31), row(2, 47.41)].join('\n')}\n`);
}
