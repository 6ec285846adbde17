import type { Knex } from 'knex';

// Geography (cube + earthdistance) and accent/typo-tolerant text (unaccent + pg_trgm).
export async function up(knex: Knex): Promise<void> {
  await knex.raw('CREATE EXTENSION IF NOT EXISTS cube');
  await knex.raw('CREATE EXTENSION IF NOT EXISTS earthdistance');
  await knex.raw('CREATE EXTENSION IF NOT EXISTS unaccent');
  await knex.raw('CREATE EXTENSION IF NOT EXISTS pg_trgm');
  // unaccent() is only STABLE (its dictionary could change); indexes and generated columns need
  // an IMMUTABLE function, so we pin the dictionary explicitly.
  await knex.raw(`
    CREATE OR REPLACE FUNCTION immutable_unaccent(text) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
    AS $$ SELECT public.unaccent('public.unaccent'::regdictionary, $1) $$`);
  await knex.raw(`
    CREATE OR REPLACE FUNCTION search_normalize(text) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
    AS $$ SELECT lower(public.immutable_unaccent($1)) $$`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('DROP FUNCTION IF EXISTS search_normalize(text)');
  await knex.raw('DROP FUNCTION IF EXISTS immutable_unaccent(text)');
}
