// Derives seeds/data/places.json, seeds/data/communes.json and seeds/SOURCES.md from the shared folder.
// One-off and re-runnable: `npx tsx scripts/derive-seeds.ts /path/to/shared`.
// The app never reads the shared folder at run time; it reads only what this script writes.
// Value mapping: scripts/derive-seeds/places.ts; commune table and code_insee lookup: scripts/derive-seeds/communes.ts.
import { readFileSync, writeFileSync, mkdirSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createConverter, newStats, type ConversionStats, type Place, type RawRow } from './derive-seeds/places.js';
import { buildCommuneTable, createInseeLookup, decoupageVersion, type InseeRule } from './derive-seeds/communes.js';

const sharedDir = process.argv[2];
if (!sharedDir) {
  console.error('usage: npx tsx scripts/derive-seeds.ts <path to shared/>');
  process.exit(1);
}
const repoDir = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const seedsDir = join(repoDir, 'seeds');

// ---------- places ----------
const PLACE_DATASETS = [
  { name: 'paca-hub-du-sud-2023', file: 'data/places/paca-hub-du-sud-2023.json', repo: 'client-application', path: 'src/assets/data/20230517-hub-du-sud-…json', commit: '8b2dea59', licence: 'Licence Ouverte 2.0' },
  { name: 'hinaura-2022-v0', file: 'data/places/hinaura-2022-v0.json', repo: 'client-application', path: 'src/assets/data/source.json', commit: '54f9438b', licence: 'Licence Ouverte 2.0' },
  { name: 'data-inclusion-2022-v0', file: 'data/places/data-inclusion-2022-v0.json', repo: 'mednum-cli', path: 'assets/input/data-inclusion/data-inclusion.json', commit: '5c7c8a2a', licence: 'open data republished by the national pipeline (no separate licence file)' },
];
interface DatasetReport {
  name: string; rows: number; withoutCoordinates: number; stats: ConversionStats;
  insee: { kept: number; filled: Map<InseeRule, number>; missing: number };
  renamed: { withinFile: number; acrossFiles: Map<string, number> };
}

const converter = createConverter(join(sharedDir, 'standard/schema.json'));
const lookupInsee = createInseeLookup();
const places: Place[] = [];
const reports: DatasetReport[] = [];
const datasetOfKey = new Map<string, string>(); // "source\0id" → dataset that holds it (the DB key is (source, source_id))
for (const dataset of PLACE_DATASETS) {
  const rows = JSON.parse(readFileSync(join(sharedDir, dataset.file), 'utf8')) as RawRow[];
  const report: DatasetReport = {
    name: dataset.name, rows: rows.length, withoutCoordinates: 0, stats: newStats(),
    insee: { kept: 0, filled: new Map(), missing: 0 }, renamed: { withinFile: 0, acrossFiles: new Map() },
  };
  const ignoredKeys = new Set<string>();
  for (const row of rows) {
    Object.keys(row).filter((key) => !converter.handledKeys.has(key)).forEach((key) => ignoredKeys.add(key));
    const place = toUniqueId(converter.toV1(row, report.stats), dataset.name, report);
    if (!place) continue;
    fillInsee(place, report);
    if (typeof place.latitude !== 'number' || typeof place.longitude !== 'number') report.withoutCoordinates += 1;
    places.push({ ...place, source_dataset: dataset.name });
  }
  if (ignoredKeys.size) console.warn(`warning: ${dataset.name} has unhandled columns: ${[...ignoredKeys].join(', ')}`);
  for (const [other, count] of report.renamed.acrossFiles) {
    console.warn(`warning: ${count} (source, id) pairs of ${dataset.name} already exist in ${other}: the same place republished, skipped`);
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
  if (place.code_insee !== undefined) { report.insee.kept += 1; return; }
  const match = typeof place.code_postal === 'string' && typeof place.commune === 'string'
    ? lookupInsee(place.code_postal, place.commune) : undefined;
  if (!match) { report.insee.missing += 1; return; }
  place.code_insee = match.code;
  report.insee.filled.set(match.rule, (report.insee.filled.get(match.rule) ?? 0) + 1);
}

// ---------- communes ----------
const communes = buildCommuneTable(join(sharedDir, 'data/geo/laposte_hexasmal.csv'));

// ---------- write ----------
// One record per line: still compact, but git diffs stay readable when the data is re-derived.
const jsonLines = (rows: object[]) => `[\n${rows.map((row) => JSON.stringify(row)).join(',\n')}\n]\n`;
mkdirSync(join(seedsDir, 'data'), { recursive: true });
const placesPath = join(seedsDir, 'data/places.json');
const communesPath = join(seedsDir, 'data/communes.json');
writeFileSync(placesPath, jsonLines(places));
writeFileSync(communesPath, jsonLines(communes.rows));
const derivedOn = new Date().toISOString().slice(0, 10);
const datasetRows = PLACE_DATASETS.map((d, i) =>
  `| ${d.name} | ${reports[i].rows} | github.com/anct-cartographie-nationale/${d.repo}, \`${d.path}\`, ${d.commit} | ${d.licence} |`).join('\n');
writeFileSync(join(seedsDir, 'SOURCES.md'), `# Seed data sources

Derived on ${derivedOn} by \`scripts/derive-seeds.ts\` (with \`scripts/derive-seeds/\`). Re-derive with:

\`\`\`sh
npx tsx scripts/derive-seeds.ts /path/to/shared
\`\`\`

Do not edit the files in \`seeds/data/\` by hand: change the script and re-run it.

## \`data/places.json\` (${places.length} places)

One JSON array of places in the model of the national standard « Lieux de médiation numérique »
v1.0.2 (La MedNum, schema.data.gouv.fr, licence etalab-2.0), plus \`source_dataset\` naming the file it came from.

| source_dataset | rows | upstream (repository, path, commit) | licence |
|---|---|---|---|
${datasetRows}

\`data-inclusion-2022-v0\` is the data·inclusion extract (v0.1 model, \`;\` separated lists) that the national pipeline
(mednum-cli) republished as open data; its rows come from several producers, named in \`source\` (conseiller-numerique,
Hinaura, siao, dora, cd72, cd35, odspep). The same place can appear in several files (for instance Hinaura places are
both in \`hinaura-2022-v0\` and in \`data-inclusion-2022-v0\` with the same source and id): the first file keeps it.

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
  étrangères → Langues étrangères (anglais) + (autres), Déficience visuelle); « Adultes » has no v1 value and is dropped;
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
`);

// ---------- summary ----------
const size = (path: string) => `${(statSync(path).size / 1024).toFixed(0)} KiB`;
const sorted = (map: Map<string, number>) => [...map].sort((a, b) => b[1] - a[1]);
console.log(`places.json: ${places.length} places, ${size(placesPath)}`);
for (const r of reports) {
  const filled = [...r.insee.filled.values()].reduce((a, b) => a + b, 0);
  console.log(`  ${r.name}: ${r.rows} rows, ${r.withoutCoordinates} without coordinates, ${r.renamed.withinFile + [...r.renamed.acrossFiles.values()].reduce((a, b) => a + b, 0)} ids suffixed or skipped`);
  console.log(`    code_insee: ${r.insee.kept} from the source, ${filled} filled (${[...r.insee.filled].map(([rule, n]) => `${n} ${rule}`).join(', ') || 'none'}), ${r.insee.missing} still missing`);
  sorted(r.stats.labels).forEach(([mapping, count]) => console.log(`    label ${count}\t${mapping}`));
  sorted(r.stats.unmapped).forEach(([value, count]) => console.log(`    unmapped ${count}\t${value}`));
}
console.log(`communes.json: ${communes.rows.length} communes, ${size(communesPath)} (${communes.fromOldCodes} located through their anciensCodes)`);
console.log(`  ${communes.without.length} current communes without coordinates: ${communes.without.slice(0, 12).map((c) => `${c.code} ${c.nom}`).join(', ')}${communes.without.length > 12 ? ', …' : ''}`);
