import type { Knex } from 'knex';

// A stored quality score per place (0–100), so that lists can filter and sort on it and an in-memory
// index can load it. The place-writing service recomputes it on every write with the one pure
// function (server/places/place-quality.ts). Existing rows are scored here, in SQL, with the weights
// of that function as they were when this migration landed (a migration never imports server code):
// half for ten things a visitor needs (5 each, hours 20 in all), 10 for a detailed presentation,
// 5 + 5 for a phone and an e-mail, 15 for freshness. SQL cannot parse opening hours: hours that are
// written count as readable until the place's next write rescores it.
//
// The département (from the INSEE code, else the postal code; 3 digits overseas) is a generated
// column so that the dashboard groups and filters on an index.
const DEPARTEMENT_SQL = `CASE WHEN coalesce(code_insee, code_postal) LIKE '97%'
  THEN left(coalesce(code_insee, code_postal), 3) ELSE left(coalesce(code_insee, code_postal), 2) END`;

const CRITERIA_MET = [
  'latitude IS NOT NULL',
  "coalesce(horaires, '') <> ''",
  "coalesce(telephone, '') <> '' OR cardinality(courriels) > 0",
  "cardinality(site_web) > 0 OR coalesce(prise_rdv, '') <> ''",
  "coalesce(presentation_resume, '') <> ''",
  'cardinality(services) > 0',
  'cardinality(publics_specifiquement_adresses) > 0 OR cardinality(prise_en_charge_specifique) > 0',
  'cardinality(modalites_acces) > 0',
  'cardinality(modalites_accompagnement) > 0',
  'cardinality(frais_a_charge) > 0',
];

const points = (condition: string, value: number) => `(CASE WHEN ${condition} THEN ${value} ELSE 0 END)`;

const FRESHNESS_DAYS = `(current_date - greatest(date_maj, coalesce(verified_at::date, date_maj)))`;

const QUALITY_SQL = [
  ...CRITERIA_MET.map((condition) => points(`(${condition})`, 5)),
  points("coalesce(horaires, '') <> ''", 15),
  points("coalesce(presentation_detail, '') <> ''", 10),
  points("coalesce(telephone, '') <> ''", 5),
  points('cardinality(courriels) > 0', 5),
  `(CASE WHEN ${FRESHNESS_DAYS} <= 183 THEN 15 WHEN ${FRESHNESS_DAYS} <= 365 THEN 8
     WHEN ${FRESHNESS_DAYS} <= 730 THEN 3 ELSE 0 END)`,
].join(' + ');

export async function up(knex: Knex): Promise<void> {
  await knex.raw(`ALTER TABLE places ADD COLUMN quality smallint NOT NULL DEFAULT 0
    CONSTRAINT places_quality_range CHECK (quality BETWEEN 0 AND 100)`);
  await knex.raw(`ALTER TABLE places ADD COLUMN departement text GENERATED ALWAYS AS (${DEPARTEMENT_SQL}) STORED`);
  await knex.raw(`UPDATE places SET quality = ${QUALITY_SQL}`);
  // Worst first, over all places or within one département (the dashboard's two orders).
  await knex.raw('CREATE INDEX places_quality ON places (quality, id)');
  await knex.raw('CREATE INDEX places_departement_quality ON places (departement, quality, id)');
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('DROP INDEX places_departement_quality');
  await knex.raw('DROP INDEX places_quality');
  await knex.raw('ALTER TABLE places DROP COLUMN departement');
  await knex.raw('ALTER TABLE places DROP COLUMN quality');
}
