import type { Knex } from 'knex';

// The offline geocoder: current communes with their postal codes, coordinates, and the names and
// INSEE codes of the former communes merged into them (a visitor may still type "Seynod").
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('communes', (table) => {
    table.text('insee').primary();
    table.text('nom').notNullable();
    table.specificType('codes_postaux', 'text[]').notNullable().defaultTo('{}');
    table.double('latitude').notNullable();
    table.double('longitude').notNullable();
    table.specificType('anciens_codes', 'text[]').notNullable().defaultTo('{}');
    table.specificType('anciens_noms', 'text[]').notNullable().defaultTo('{}');
    table.integer('population');
  });
  await knex.raw(`ALTER TABLE communes
    ADD CONSTRAINT communes_insee_format CHECK (insee ~ '^([013-9]\\d|2[AB1-9])\\d{3}$'),
    ADD CONSTRAINT communes_latitude_range CHECK (latitude BETWEEN -90 AND 90),
    ADD CONSTRAINT communes_longitude_range CHECK (longitude BETWEEN -180 AND 180)`);
  // Names compared without accents, case, hyphens or apostrophes: "sainte etienne de tinee".
  await knex.raw(`ALTER TABLE communes ADD COLUMN search_name text GENERATED ALWAYS AS (
    btrim(regexp_replace(search_normalize(nom), '[^a-z0-9]+', ' ', 'g'))) STORED`);
  // array_to_string() is only STABLE; joining text is immutable, so pin it for the generated column.
  await knex.raw(`CREATE OR REPLACE FUNCTION communes_join_names(text[]) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT AS $$ SELECT array_to_string($1, ' | ') $$`);
  await knex.raw(`ALTER TABLE communes ADD COLUMN search_former text GENERATED ALWAYS AS (
    btrim(regexp_replace(search_normalize(communes_join_names(anciens_noms)), '[^a-z0-9|]+', ' ', 'g'))) STORED`);
  await knex.raw('CREATE INDEX communes_search_name_trgm ON communes USING gin (search_name gin_trgm_ops)');
  await knex.raw('CREATE INDEX communes_search_former_trgm ON communes USING gin (search_former gin_trgm_ops)');
  await knex.raw('CREATE INDEX communes_codes_postaux_gin ON communes USING gin (codes_postaux)');
  await knex.raw('CREATE INDEX communes_anciens_codes_gin ON communes USING gin (anciens_codes)');
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('communes');
  await knex.raw('DROP FUNCTION IF EXISTS communes_join_names(text[])');
}
