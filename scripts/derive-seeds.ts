// Derives seeds/data/places.json, seeds/data/places/ (raw copies), seeds/data/communes.json and seeds/SOURCES.md
// from the shared folder.
// One-off and re-runnable: `npx tsx scripts/derive-seeds.ts /path/to/shared`.
// The app never reads the shared folder at run time; it reads only what this script writes.
// Value mapping: scripts/derive-seeds/places.ts; commune table and code_insee lookup: scripts/derive-seeds/communes.ts.
import { copyFileSync, readFileSync, writeFileSync, mkdirSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createConverter, newStats, type ConversionStats, type Place, type RawRow } from './derive-seeds/places.js';
import {
  buildCommuneTable,
  communeKey,
  createCommuneNames,
  createInseeLookup,
  decoupageVersion,
  type InseeRule,
} from './derive-seeds/communes.js';
import { hauteVienneToV1Rows, type HauteVienneReport } from './derive-seeds/haute-vienne.js';
import {
  cleanAddress,
  createDuplicateIndex,
  fillMissingFields,
  hasLetter,
  isAllCaps,
  labelsFromName,
  readableName,
  titleCase,
  type DuplicateRule,
} from './derive-seeds/cleanup.js';

const sharedDir = process.argv[2];
if (!sharedDir) {
  console.error('usage: npx tsx scripts/derive-seeds.ts <path to shared/>');
  process.exit(1);
}
const repoDir = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const seedsDir = join(repoDir, 'seeds');

// ---------- places ----------
// In this order: a place found again in a later file is that file's duplicate (the earlier, producer's own,
// record wins).
const PLACE_DATASETS = [
  {
    name: 'paca-hub-du-sud-2023',
    file: 'data/places/paca-hub-du-sud-2023.json',
    repo: 'client-application',
    path: 'src/assets/data/20230517-hub-du-sud-…json',
    commit: '8b2dea59',
    licence: 'Licence Ouverte 2.0',
  },
  {
    name: 'hinaura-2022-v0',
    file: 'data/places/hinaura-2022-v0.json',
    repo: 'client-application',
    path: 'src/assets/data/source.json',
    commit: '54f9438b',
    licence: 'Licence Ouverte 2.0',
  },
  {
    name: 'data-inclusion-2022-v0',
    file: 'data/places/data-inclusion-2022-v0.json',
    repo: 'mednum-cli',
    path: 'assets/input/data-inclusion/data-inclusion.json',
    commit: '5c7c8a2a',
    licence: 'open data republished by the national pipeline (no separate licence file)',
  },
  {
    name: 'haute-vienne-acteurs-numerique',
    file: 'data/places/haute-vienne-acteurs-numerique.json',
    repo: 'mednum-cli',
    path: 'assets/input/haute-vienne/haute-vienne.json',
    commit: 'c3433a92',
    licence: 'open data republished by the national pipeline (no separate licence file)',
    format: 'haute-vienne' as const,
  },
];
interface DatasetReport {
  name: string;
  rows: number;
  places: number;
  withoutCoordinates: number;
  stats: ConversionStats;
  insee: { kept: number; filled: Map<InseeRule, number>; missing: number };
  renamed: { withinFile: number; acrossFiles: Map<string, number> };
  tidy: {
    communeOfficial: number;
    communeTitle: number;
    nameTitle: number;
    addressCleaned: number;
    readableNames: string[];
  };
  duplicates: { byRule: Map<DuplicateRule, number>; byDataset: Map<string, number>; examples: string[] };
  location: { communeCentre: number; stillWithout: number };
  hauteVienne?: HauteVienneReport;
}
const bumpKey = <K>(map: Map<K, number>, key: K) => map.set(key, (map.get(key) ?? 0) + 1);

const converter = createConverter(join(sharedDir, 'standard/schema.json'));
const lookupInsee = createInseeLookup();
const officialName = createCommuneNames();
const duplicates = createDuplicateIndex();
const mergedFields = new Map<string, number>(); // field → places that took it from a duplicate
const places: Place[] = [];
const reports: DatasetReport[] = [];
// "source\0id" → dataset that holds it (the DB key is (source, source_id))
const datasetOfKey = new Map<string, string>();
for (const dataset of PLACE_DATASETS) {
  let rows = JSON.parse(readFileSync(join(sharedDir, dataset.file), 'utf8')) as RawRow[];
  const report: DatasetReport = {
    name: dataset.name,
    rows: rows.length,
    places: 0,
    withoutCoordinates: 0,
    stats: newStats(),
    insee: { kept: 0, filled: new Map(), missing: 0 },
    renamed: { withinFile: 0, acrossFiles: new Map() },
    tidy: { communeOfficial: 0, communeTitle: 0, nameTitle: 0, addressCleaned: 0, readableNames: [] },
    duplicates: { byRule: new Map(), byDataset: new Map(), examples: [] },
    location: { communeCentre: 0, stillWithout: 0 },
  };
  if (dataset.format === 'haute-vienne') {
    const converted = hauteVienneToV1Rows(rows);
    rows = converted.rows;
    report.hauteVienne = converted.report;
  }
  const ignoredKeys = new Set<string>();
  const keptOfDataset: Place[] = [];
  for (const row of rows) {
    Object.keys(row)
      .filter((key) => !converter.handledKeys.has(key) && key !== 'labels')
      .forEach((key) => ignoredKeys.add(key));
    const converted = converter.toV1(row, report.stats);
    if (Array.isArray(row.labels) && row.labels.length) converted.labels = row.labels as string[];
    const place = toUniqueId(converted, dataset.name, report);
    if (!place) continue;
    fillInsee(place, report);
    tidy(place, report);
    const duplicate = duplicates.find(place);
    if (duplicate) {
      bumpKey(report.duplicates.byRule, duplicate.rule);
      bumpKey(report.duplicates.byDataset, String(duplicate.kept.source_dataset));
      if (report.duplicates.examples.length < (process.env.DERIVE_VERBOSE ? Infinity : 8)) {
        const { kept } = duplicate;
        report.duplicates.examples.push(
          `${String(place.id)} "${String(place.nom)}" = ` +
            `${String(kept.source_dataset)} ${String(kept.id)} "${String(kept.nom)}" (${duplicate.rule})`,
        );
      }
      for (const field of fillMissingFields(duplicate.kept, place)) bumpKey(mergedFields, field);
      continue;
    }
    if (typeof place.latitude !== 'number' || typeof place.longitude !== 'number') report.withoutCoordinates += 1;
    const kept = { ...place, source_dataset: dataset.name };
    places.push(kept);
    keptOfDataset.push(kept);
  }
  // Only later datasets are compared with this one: duplicates inside one file are the producer's business.
  keptOfDataset.forEach((place) => duplicates.add(place));
  report.places = keptOfDataset.length;
  if (ignoredKeys.size) console.warn(`warning: ${dataset.name} has unhandled columns: ${[...ignoredKeys].join(', ')}`);
  for (const [other, count] of report.renamed.acrossFiles) {
    console.warn(
      `warning: ${count} (source, id) pairs of ${dataset.name} already exist in ${other}: ` +
        'the same place republished, skipped',
    );
  }
  reports.push(report);
}

// (source, id) must stay unique. A pair already loaded from an earlier file is the same place republished
// by the national pipeline: the earlier (producer's own) file wins and the copy is skipped. A pair repeated
// inside one file gets the first free -2, -3… suffix.
function toUniqueId(place: Place, datasetName: string, report: DatasetReport): Place | null {
  const id = String(place.id ?? 'sans-id');
  const source = String(place.source ?? datasetName);
  const keyOf = (candidate: string) => `${source}\u0000${candidate}`;
  const owner = datasetOfKey.get(keyOf(id));
  let unique = id;
  for (let n = 2; datasetOfKey.has(keyOf(unique)); n += 1) unique = `${id}-${n}`;
  if (owner === datasetName) {
    report.renamed.withinFile += 1;
    console.warn(`warning: duplicate (source, id) ("${source}", "${id}") in ${datasetName}, renamed "${unique}"`);
  } else if (owner) {
    report.renamed.acrossFiles.set(owner, (report.renamed.acrossFiles.get(owner) ?? 0) + 1);
    return null;
  }
  datasetOfKey.set(keyOf(unique), datasetName);
  return { ...place, id: unique };
}

// Fills a missing code_insee from the commune table; an existing code is never replaced.
function fillInsee(place: Place, report: DatasetReport): void {
  if (place.code_insee !== undefined) {
    report.insee.kept += 1;
    return;
  }
  const match =
    typeof place.code_postal === 'string' && typeof place.commune === 'string'
      ? lookupInsee(place.code_postal, place.commune)
      : undefined;
  if (!match) {
    report.insee.missing += 1;
    return;
  }
  place.code_insee = match.code;
  report.insee.filled.set(match.rule, (report.insee.filled.get(match.rule) ?? 0) + 1);
}

// Communes: the official name when the code_insee says which commune it is; names and communes in capitals: title
// case; names without a letter: a readable name; addresses: the trailing postal code, commune, CEDEX, BP/CS removed.
function tidy(place: Place, report: DatasetReport): void {
  const official = typeof place.code_insee === 'string' ? officialName(place.code_insee) : undefined;
  if (typeof place.commune === 'string') {
    // "ROMANS-SUR-ISERE BP 240", "GUERET 23000", "RENNES CS 46706": what follows the commune's name is not compared.
    const bare = place.commune.replace(/\s+(?:(?:BP|CS)\s*\d[\d\s]*|\d{5})$/i, '');
    // A commune field that is only a postal code ("06370") or an arrondissement ("7e Arrondissement") names
    // nothing else.
    const noName = !hasLetter(place.commune) || /^\d+(?:e|er|ème)\s+arrondissement$/i.test(place.commune);
    if (official && (official.matches(place.commune) || official.matches(bare) || noName)) {
      if (place.commune !== official.name) {
        place.commune = official.name;
        report.tidy.communeOfficial += 1;
      }
    } else if (isAllCaps(place.commune)) {
      place.commune = titleCase(place.commune);
      report.tidy.communeTitle += 1;
    }
  }
  if (typeof place.adresse === 'string') {
    const cleaned = cleanAddress(
      place.adresse,
      place,
      official?.keys ?? new Set([communeKey(String(place.commune ?? ''))]),
    );
    if (cleaned !== place.adresse) {
      place.adresse = cleaned;
      report.tidy.addressCleaned += 1;
    }
  }
  if (typeof place.nom !== 'string' || !hasLetter(place.nom)) {
    const readable = readableName(place);
    report.tidy.readableNames.push(
      `${String(place.id)}: ${place.nom === undefined ? 'no name' : `"${String(place.nom)}"`} → "${readable}"`,
    );
    place.nom = readable;
  } else if (isAllCaps(place.nom)) {
    place.nom = titleCase(place.nom);
    report.tidy.nameTitle += 1;
  }
}

// ---------- communes ----------
const communes = buildCommuneTable(join(sharedDir, 'data/geo/laposte_hexasmal.csv'));

// ---------- after all datasets: commune centres and labels read from names ----------
// A place without coordinates whose commune is known gets the commune's centre, marked location_precision 'commune'
// (absent = 'exact': the source's own coordinates).
const communeByInsee = new Map(communes.rows.map((row) => [row.insee, row]));
const reportOf = new Map(reports.map((report) => [report.name, report]));
const labelCounts = new Map<string, number>();
for (const place of places) {
  const report = reportOf.get(String(place.source_dataset));
  if (!report) throw new Error(`no report for dataset ${String(place.source_dataset)}`);
  if (typeof place.latitude !== 'number' || typeof place.longitude !== 'number') {
    const byCode = typeof place.code_insee === 'string' ? communeByInsee.get(place.code_insee) : undefined;
    const lookedUp =
      !byCode && typeof place.code_postal === 'string' && typeof place.commune === 'string'
        ? lookupInsee(place.code_postal, place.commune)
        : undefined;
    const commune = byCode ?? (lookedUp ? communeByInsee.get(lookedUp.code) : undefined);
    if (commune) {
      place.latitude = commune.lat;
      place.longitude = commune.lon;
      place.location_precision = 'commune';
      report.location.communeCentre += 1;
    } else {
      report.location.stillWithout += 1;
    }
  }
  const fromName = labelsFromName(String(place.nom ?? ''));
  for (const label of fromName) bumpKey(labelCounts, `${label} (name)`);
  const labels = [...new Set([...((place.labels as string[] | undefined) ?? []), ...fromName])];
  if (labels.length) place.labels = labels;
}
for (const place of places)
  for (const label of (place.labels as string[] | undefined) ?? []) bumpKey(labelCounts, `${label} (total)`);

// ---------- write ----------
// One record per line: still compact, but git diffs stay readable when the data is re-derived.
const jsonLines = (rows: object[]) => `[\n${rows.map((row) => JSON.stringify(row)).join(',\n')}\n]\n`;
mkdirSync(join(seedsDir, 'data'), { recursive: true });
const placesPath = join(seedsDir, 'data/places.json');
const communesPath = join(seedsDir, 'data/communes.json');
writeFileSync(placesPath, jsonLines(places));
writeFileSync(communesPath, jsonLines(communes.rows));
// Three more datasets are copied as they are: the seeding reads them through the import pipeline.
const RAW_PLACE_FILES = [
  'conseillers-numeriques-permanences-v0.json',
  'france-services-2022-12-01.csv',
  'hub-antilles.json',
];
const RAW_PLACE_ROWS = [
  '| conseillers-numeriques-permanences-v0.json | 4930 | standard v0.1 (variant `conditions_access`) ' +
    '| conseiller-numerique | github.com/anct-cartographie-nationale/mednum-cli, ' +
    '`assets/input/cnfs.json`, 8098cc4a ' +
    '| open data republished by the national pipeline (no separate licence file) |',
  '| france-services-2022-12-01.csv | 2683 | one hours column per weekday (France Services list) | france-services ' +
    '| github.com/anct-cartographie-nationale/mednum-cli, ' +
    '`assets/input/france-services/liste-fs-20221201.csv`, abcdd2a7 (data.gouv.fr) | idem |',
  '| hub-antilles.json | 165 | standard v0.1 (with BAN geocoding columns, not used) | hub-antilles ' +
    '| github.com/anct-cartographie-nationale/mednum-cli, ' +
    '`assets/input/mednum-hub-antilles/…json`, a9b0b349 | idem |',
];
const rawRows = RAW_PLACE_ROWS.join('\n');
mkdirSync(join(seedsDir, 'data/places'), { recursive: true });
for (const file of RAW_PLACE_FILES)
  copyFileSync(join(sharedDir, 'data/places', file), join(seedsDir, 'data/places', file));
const derivedOn = new Date().toISOString().slice(0, 10);
const datasetRows = PLACE_DATASETS.map(
  (d, i) =>
    `| ${d.name} | ${reports[i].rows} | ${reports[i].places} ` +
    `| github.com/anct-cartographie-nationale/${d.repo}, \`${d.path}\`, ${d.commit} | ${d.licence} |`,
).join('\n');
const total = (pick: (r: DatasetReport) => number) => reports.reduce((sum, r) => sum + pick(r), 0);
const duplicatesRemoved = total((r) => [...r.duplicates.byRule.values()].reduce((a, b) => a + b, 0));
const byRuleTotal = (rule: DuplicateRule) => total((r) => r.duplicates.byRule.get(rule) ?? 0);
const hv = reports.find((r) => r.hauteVienne);
const hvReport = hv?.hauteVienne;
if (!hv || !hvReport) throw new Error('the Haute-Vienne dataset was not read');
const labelTotal = (key: string) => labelCounts.get(key) ?? 0;
writeFileSync(
  join(seedsDir, 'SOURCES.md'),
  `# Seed data sources

Derived on ${derivedOn} by \`scripts/derive-seeds.ts\` (with \`scripts/derive-seeds/\`). Re-derive with:

\`\`\`sh
npx tsx scripts/derive-seeds.ts /path/to/shared
\`\`\`

Do not edit the files in \`seeds/data/\` by hand: change the script and re-run it.

## \`data/places.json\` (${places.length} places)

One JSON array of places in the model of the national standard « Lieux de médiation numérique »
v1.0.2 (La MedNum, schema.data.gouv.fr, licence etalab-2.0), plus \`source_dataset\` naming the file it came from.

| source_dataset | rows in the file | places kept | upstream (repository, path, commit) | licence |
|---|---|---|---|---|
${datasetRows}

Two keys beyond the standard (read by the seed loader): \`labels\`, label slugs of \`data/labels.json\` the standard has
no field for (\`cyber-base\`, \`netpublic\`), and \`location_precision: "commune"\` when the coordinates are the \
centre of
the commune because the source gave none (absent: the source's own coordinates, "exact").

\`data-inclusion-2022-v0\` is the data·inclusion extract (v0.1 model, \`;\` separated lists) that the national pipeline
(mednum-cli) republished as open data; its rows come from several producers, named in \`source\` (conseiller-numerique,
Hinaura, siao, dora, cd72, cd35, odspep). The same place can appear in several files (for instance Hinaura places are
both in \`hinaura-2022-v0\` and in \`data-inclusion-2022-v0\` with the same source and id): the first file keeps it
(see « Duplicates across datasets » below).

\`haute-vienne-acteurs-numerique\` is the map of the digital actors of Haute-Vienne (Limoges Métropole's SIG) as the
national pipeline stored it: a local format with one row per service of a place. It is read last, with these rules
(\`scripts/derive-seeds/haute-vienne.ts\`):
- Rows without an address (${hvReport.withoutAddress} of ${hv.rows}: services given only with the commune, whose \
point is the
  commune's) are not places and are left out. The other rows are grouped by name + address (folded): one place per
  group (${hvReport.places} places), \`id\` = the smallest \`objectid\` of the group, \`source\` = \`haute-vienne\`.
- \`nom_org\` → nom, \`adresse\` → adresse, \`commune\`, \`code_postal\` (5 digits), \`latitude\`/\`longitude\` (the
  source's point; the \`result_*\` columns of the pipeline's BAN geocoding are not used), \`tel_fixe\` (else
  \`tel_mobile\`) → telephone, \`mail\` → courriels, \`site\` → site_web (« https:// » added to a bare domain such as
  « www.savb.fr »); code_insee is derived as for the other files.
- \`statut_org\` → typologie: Association → ASSO, Mairie → MUNI, Médiathèque/bibliothèque → BIB (the other statuses,
  « CCAS / CIAS », « Opérateur de service public », « Organisme privé », « Autre collectivité », name no single code);
  a place with the label « Espace public numérique / cyberbase » also gets EPN.
- \`label\`: « Espace public numérique / cyberbase » → \`labels: ["cyber-base"]\` (the historical Cyber-base label);
  « France Services » → \`dispositif_programmes_nationaux: ["France Services"]\`; « Qualification Cheque numérique »
  (the Pass numérique, no v1 value) and « Autre » are dropped.
- \`service\` → services: Accès à Internet / à du matériel / à une imprimante-scanner / Autre matériel → Accès internet
  et matériel informatique; Découverte de l'ordinateur-tablette-smartphone, d'internet et de la messagerie, des \
logiciels
  bureautiques → Maîtrise des outils numériques du quotidien; Aide aux démarches administratives dématérialisées → Aide
  aux démarches administratives; Aide à la recherche d'emploi → Insertion professionnelle via le numérique; Initiation à
  la culture numérique (protection des données, fake news) → Compréhension du monde numérique + Utilisation sécurisée du
  numérique; Pratiques d'activités numériques récréatives → Loisirs et créations numériques; Don, prêt matériel →
  Acquisition de matériel informatique à prix solidaire. « Autre accompagnement », « Dépannage, conseils » and
  « Compétences numériques avancées » have no clear v1 counterpart and are not mapped.
- \`assistance\` « Oui » or \`format\` « Assistance ponctuelle » → Accompagnement individuel; \`format\` « \
Organisation de
  parcours de formation courte » → Dans un atelier collectif; \`assistance\` « Non » on an access service → En \
autonomie;
  \`condition\` « Accès libre » → modalites_acces Se présenter; \`public\` mentioning jeunes / moins de 35 ans → Jeunes,
  parents → Familles et/ou enfants, senior → Seniors.
- The free-text hours, conditions, audiences and comments are not in the standard's formats (\`horaires\` is OSM
  opening_hours): they are kept, one line per service, in presentation_detail
  (« <service> (<condition> ; horaires : … ; public : …) : <commentaire> »). \`mediateur\`, \`cheque\`, \`categorie\`
  (except as above), \`infobulle\`, \`trajet\` and the \`result_*\` columns are not used. The file has no update date:
  \`date_maj\` is left out (the seed loader uses the day of seeding).

Conversion rules:
- Field names are the standard's v1 names; keys with no value are omitted (no empty strings or arrays).
- Multi-valued fields (typologie, courriels, site_web, itinerance, services, publics, frais, dispositifs, labels,
  modalités) are arrays, split on \`;\` (v0.1) or \`|\` (v1), trimmed and de-duplicated. \`typologie\` keeps the
  data·inclusion structure codes as given (ASSO, CCAS, MUNI…).
- v0.1 → v1 values follow the mapping of the national pipeline: old services → v1 services;
  \`modalites_accompagnement\` « Dans un atelier » → Dans un atelier collectif, « Avec de l'aide » and « A ma place »
  → Accompagnement individuel, « Seul » → En autonomie; \`conditions_acces\` → \`frais_a_charge\` (Gratuit, Gratuit sous
  condition, Payant and Adhésion → Payant; « Accepte le Pass numérique » has no v1 value and is dropped);
  \`publics_accueillis\` → \`publics_specifiquement_adresses\` (Familles et/ou enfants, Jeunes, Seniors, Femmes) and
  \`prise_en_charge_specifique\` (Surdité, Handicaps mentaux/psychiques → Handicaps mentaux, Illettrisme, Public langues
  étrangères → Langues étrangères (anglais) + (autres), Déficience visuelle); « Adultes » has no v1 value and is \
dropped;
  v0.1 \`courriel\` → \`courriels\`.
- \`labels_nationaux\` → \`dispositif_programmes_nationaux\` when the label is unambiguously a v1 programme, compared
  without case, accents or separators (so \`AIDANTS_CONNECT\` = Aidants Connect): CNFS and conseiller-numerique →
  Conseillers numériques, france-service → France Services, point-numerique-caf → Point d'accès numérique CAF, PIX →
  Certification PIX, grande(s)-ecole(s)-du-numerique → Grande école du numérique, croix-rouge → La Croix Rouge, v1 names
  keep their name. v1 training labels → \`formations_labels\`; anything else (for instance a general « CAF » or
  « Emmaus » label) is kept as it is in \`autres_formations_labels\`.
- \`code_postal\` is a 5-character string; \`date_maj\` is YYYY-MM-DD; telephone numbers written the French way
  (\`04 79 88 59 36\`) become \`+33479885936\` (overseas prefixes 0590, 0262… get their own country code).
- \`code_insee\`, when the source has none, is derived from the commune list behind \`data/communes.json\`
  (decoupage-administratif, including the communes left out of that file for lack of coordinates). Names are compared
  without case, accents, spaces, hyphens, apostrophes, a leading article (Le, La, Les, L') or a trailing « CEDEX n »,
  with ST/STE read as Saint/Sainte; a commune also answers to the names of its former communes (communes déléguées or
  associées: « Seynod » → Annecy). In order: (1) the one commune that has the place's postal code and its name;
  (2) otherwise, the commune when the postal code belongs to only one, unless the name given is that of another commune
  of the department (« Grasse » with Nice's 06100: the fields contradict each other); (3) when the postal code is not a
  distribution code (CEDEX), the one commune of the department with that name. In Paris, Lyon and Marseille the
  arrondissement of the postal code is used (« LYON » + 69003 → 69383), as in the source data. A code given by the
  source is never replaced; places with no match keep no code_insee.
- Other values are kept as they are, even when invalid (the seed loader validates and reports them).
- Ids stay strings. The pair (\`source\`, \`id\`) is unique over the whole file: a pair repeated inside one file gets a
  \`-2\`, \`-3\`… suffix on the id; a pair already loaded from an earlier file is the same place republished by the
  pipeline and is skipped (the producer's own file wins).

Clean-up rules (\`scripts/derive-seeds/cleanup.ts\`), applied to every dataset after the conversion, in this order:
- Communes: when the code_insee is known and the commune field names that commune (compared as for the code_insee
  lookup: without case, accents, separators, a leading article or « CEDEX n »), it becomes the commune's official name
  from decoupage-administratif (« MARTIGUES » → Martigues, « SAINT-ETIENNE-DE-TINEE » → Saint-Étienne-de-Tinée,
  « Le Mans Cedex 2 » → Le Mans); in Paris, Lyon and Marseille the city's name, for any spelling of the city or of the
  arrondissement (« MARSEILLE 6E ARRONDISSEMENT », « Marseille 10ème arrondissement » → Marseille; the code_insee keeps
  the arrondissement); a trailing « BP n », « CS n » or postal code in the commune field (« GUERET 23000 ») is not
  compared and goes with the rest; a commune field that is only a postal code (« 06370 ») or an arrondissement
  (« 7e Arrondissement ») also gets the official name. A commune field that names something else (a locality, a \
former commune) is kept, in title
  case if it was in capitals. (${total((r) => r.tidy.communeOfficial)} communes given their official name, \
${total((r) => r.tidy.communeTitle)} title-cased.)
- Addresses: line breaks become « , » and repeated spaces one space; then, at the end of the address only and as long
  as something is found: « <postal code> [<commune>] [CEDEX [n]] » when the postal code is the place's or the commune is
  the place's (or the postal code is followed by CEDEX), a lone « CEDEX [n] », and a postal box « BP n » / « CS n »
  (« 13692 MARTIGUES CEDEX BP 101 », « 124B R DE PARIS BP 331 » → « 124B R DE PARIS »). Nothing else is rewritten
  (« hôtel de villeavenue louis sammut » stays); an address that would be left without a letter (« BP 40019 ») is kept
  as it is. (${total((r) => r.tidy.addressCleaned)} addresses changed.)
- Names entirely in capitals are title-cased the French way, without adding accents: each word capitalised; de, du,
  des, d', la, le, les, l', et, ou, en, à/a, au, aux, sur, sous, pour, par, dans, chez, avec, un, une in lower case
  (except as the first word); ST/STE → St/Ste; kept in capitals: known acronyms (EPN, CCAS, MJC, CAF, CPAM, MSA, CIAS,
  ESS, PIJ, BIJ, MSAP, CDAD, UDAF, AFPA, CSC, MDPH, ADIL, PMI, CMS, PAD, PIMMS, FJT, CHRS, CIDFF, ASS, ASSO, SARL, SAS,
  EHPAD, IUT, CNFS, BGE, MDS, MDE, MDSI, CLIC, QPV, RSA, SOS, CA, CC, GIP, SAVS, APF, ADSEA, MFR, SIVOM, GEM, CADA,
  ESAT, SPIP, GRETA, PLIE, ADMR, CCI… the full list is \`ACRONYMS\` in cleanup.ts), any word of at most 3 letters
  without a vowel, any word with a digit, Roman numerals. « COMMUNE DE MARTIGUES HOTEL DE VILLE » → « Commune de
  Martigues Hotel de Ville »; names with a small letter are left alone. (${total((r) => r.tidy.nameTitle)} names.)
- A name with no letter at all (a SIRET « 265 901 785 00 », « 115 ») or no name is replaced by « France Services de
  <commune> » when the place has the France Services programme, else « Lieu de médiation numérique de <commune> »
  (with d', du, des, de la as French requires). The original value is not kept. \
(${total((r) => r.tidy.readableNames.length)} names:
  ${reports.flatMap((r) => r.tidy.readableNames).join('; ')}.)
- Labels read from the name (any dataset): a name containing « Cyber-base », « Cyberbase » or « cyber base » →
  \`labels\` cyber-base; « NetPublic » or « Net Public » → netpublic. (${labelTotal('cyber-base (name)')} cyber-base and
  ${labelTotal('netpublic (name)')} netpublic from names; with Haute-Vienne's label, \
${labelTotal('cyber-base (total)')} places carry cyber-base
  and ${labelTotal('netpublic (total)')} netpublic.)

Duplicates across datasets: a record of a later dataset is removed when it is the same place as a record kept from an
earlier dataset (the earlier, producer's own, record is kept; places inside one dataset are not compared), when:
(1) its id, if it is at least 12 characters with a digit (uuid, ObjectId: not a row number), is the earlier record's id
or the end of it after a « - » (\`mediation-numerique-conseiller-numerique-X\` and \`dora-X\` = \`X\`); or (2) the two
names are equal once accents, case and punctuation are folded and both have the source's coordinates, at most 100 m
apart; or (3) the folded names, the folded addresses (street-type abbreviations read in full: AV = avenue, BD =
boulevard, PL = place, R = rue, CHE = chemin, RTE = route…) and the postal codes are equal. Nothing is merged, except
that a field the kept record lacks and the removed one has (hours, telephone, e-mail, website, services, programmes,
coordinates…) is copied into the kept record. (${duplicatesRemoved} records removed: \
${byRuleTotal('same trailing source id')} by id, ${byRuleTotal('same name within 100 m')} by name within
100 m, ${byRuleTotal('same name, address and postal code')} by name + address + postal code; fields copied: ${
    [...mergedFields]
      .sort((a, b) => b[1] - a[1])
      .map(([f, n]) => `${f} ${n}`)
      .join(', ') || 'none'
  }.)

Coordinates: a place without coordinates whose commune is known (its code_insee, or the lookup by postal code + name
above) gets the centre of the commune from \`data/communes.json\` (the arrondissement's in Paris, Lyon and Marseille) \
and
\`location_precision: "commune"\`. (${total((r) => r.location.communeCentre)} places; still without coordinates: \
${total((r) => r.location.stillWithout)}.)

## \`data/places/\` (raw copies, read by the import pipeline)

Three shared datasets are copied as they are and read at seeding by the same pipeline as \`npm run import\`
(server/opendata/import/, see docs/opendata.md), after \`data/places.json\`. The pipeline recognises each file's
format from its columns, repairs what is clear (phone numbers, hours written « 9h30 », HTML entities, v0.1 values →
v1), places rows without coordinates at their commune's centre, and merges a row that is a place already loaded
(same SIRET within 200 m, or a name at least 0.5 alike by pg_trgm within 200 m, or the same name within 200 m in one
batch): the place loaded first is kept, the row's (source, id) is kept as its alias. The seeding log gives, per
file: read, created, merged, updated, unchanged, rejected (with reasons).

| file | rows | format read as | \`source\` where the file gives none | upstream (repository, path, commit) | licence |
|---|---|---|---|---|---|
${rawRows}

Seeded on an empty database (2026-12-02): places.json 4577 read, 4382 created, 195 merged; the permanences 4930
read, 2147 created, 390 merged, 2393 already there (the same source and id in places.json); France Services 2683
read, 2306 created, 351 merged, 26 rejected (no address, postal code nor commune); Hub Antilles 165 read, 115
created, 49 merged, 1 rejected. 8950 distinct places.

## \`data/communes.json\` (${communes.rows.length} communes)

Offline geocoding table: \`{ insee, nom, cp: [postal codes], lat, lon }\`, one row per current commune and per municipal
arrondissement of Paris, Lyon and Marseille (plus the three cities themselves).

- Communes, names and postal codes: npm package \`@etalab/decoupage-administratif\` ${decoupageVersion}
  (github.com/etalab/decoupage-administratif; code MIT; data from INSEE's Code officiel géographique and La Poste,
  Licence Ouverte 2.0), file \`data/communes.json\`, types \`commune-actuelle\` and \`arrondissement-municipal\`.
- Coordinates: La Poste « Base officielle des codes postaux » (2020), \`laposte_hexasmal.csv\`, from
  github.com/dataforgoodfr/batch8_mednum, \`data/laposte_hexasmal.csv\`, commit d0515429; published by La Poste on
  data.gouv.fr as open data (Licence Ouverte).
- Rules: the mean of all La Poste rows (\`coordonnees_gps\`) with the commune's INSEE code; when the current code has no
  row (commune created by a merger after 2020), the mean of the rows of its \`anciensCodes\`; Paris, Lyon and Marseille
  take the mean of their arrondissements. Rounded to 5 decimals. ${communes.without.length} current communes have no
  coordinates and are left out.
`,
);

// ---------- summary ----------
const size = (path: string) => `${(statSync(path).size / 1024).toFixed(0)} KiB`;
const sorted = (map: Map<string, number>) => [...map].sort((a, b) => b[1] - a[1]);
console.log(`places.json: ${places.length} places, ${size(placesPath)}`);
for (const r of reports) {
  const filled = [...r.insee.filled.values()].reduce((a, b) => a + b, 0);
  const renamed = r.renamed.withinFile + [...r.renamed.acrossFiles.values()].reduce((a, b) => a + b, 0);
  console.log(
    `  ${r.name}: ${r.rows} rows, ${r.withoutCoordinates} without coordinates, ${renamed} ids suffixed or skipped`,
  );
  const filledByRule = [...r.insee.filled].map(([rule, n]) => `${n} ${rule}`).join(', ') || 'none';
  console.log(
    `    code_insee: ${r.insee.kept} from the source, ${filled} filled (${filledByRule}), ` +
      `${r.insee.missing} still missing`,
  );
  sorted(r.stats.labels).forEach(([mapping, count]) => console.log(`    label ${count}\t${mapping}`));
  sorted(r.stats.unmapped).forEach(([value, count]) => console.log(`    unmapped ${count}\t${value}`));
  if (r.hauteVienne) {
    console.log(
      `    haute-vienne: ${r.hauteVienne.rows} service rows, ` +
        `${r.hauteVienne.withoutAddress} without an address left out, ${r.hauteVienne.places} places`,
    );
    sorted(r.hauteVienne.unmappedServices).forEach(([value, count]) =>
      console.log(`    unmapped service ${count}\t${value}`),
    );
  }
  console.log(
    `    kept ${r.places} places; tidy: ${r.tidy.communeOfficial} communes given their official name, ` +
      `${r.tidy.communeTitle} communes title-cased, ${r.tidy.nameTitle} names title-cased, ` +
      `${r.tidy.addressCleaned} addresses trimmed`,
  );
  r.tidy.readableNames.forEach((line) => console.log(`    name without a letter: ${line}`));
  const dupTotal = [...r.duplicates.byRule.values()].reduce((a, b) => a + b, 0);
  console.log(
    `    duplicates of earlier datasets removed: ${dupTotal} (${
      sorted(r.duplicates.byRule)
        .map(([rule, n]) => `${n} ${rule}`)
        .join(', ') || 'none'
    }; of ${
      sorted(r.duplicates.byDataset)
        .map(([d, n]) => `${n} ${d}`)
        .join(', ') || '-'
    })`,
  );
  r.duplicates.examples.forEach((line) => console.log(`      e.g. ${line}`));
  console.log(
    `    coordinates: ${r.withoutCoordinates} kept places without, ` +
      `${r.location.communeCentre} given the commune centre, ${r.location.stillWithout} still without`,
  );
}
console.log(
  `fields taken from a removed duplicate: ${
    sorted(mergedFields)
      .map(([f, n]) => `${n} ${f}`)
      .join(', ') || 'none'
  }`,
);
console.log(
  `labels: ${
    sorted(labelCounts)
      .map(([l, n]) => `${n} ${l}`)
      .join(', ') || 'none'
  }`,
);
console.log(
  `communes.json: ${communes.rows.length} communes, ${size(communesPath)} ` +
    `(${communes.fromOldCodes} located through their anciensCodes)`,
);
console.log(
  `  ${communes.without.length} current communes without coordinates: ${communes.without
    .slice(0, 12)
    .map((c) => `${c.code} ${c.nom}`)
    .join(', ')}${communes.without.length > 12 ? ', …' : ''}`,
);
