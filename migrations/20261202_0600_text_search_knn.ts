import type { Knex } from 'knex';

// Text search returns the best matches without sorting every match (issue 10). The GIN trigram
// index could only find the matches; ordering them by word similarity sorted all of them (83,000
// rows for "mediatheque" at 1M places, 3.2 s). A GiST trigram index walks the matches nearest
// first (`search_text <->> query`), so a LIMIT stops after the first page.
// The second column, the id as float8 through btree_gist, is the tie-break inside the index: many
// places share the best distance (every "Médiathèque …" is at 0 from "mediatheque"), and a
// tie-break outside the index would read and sort the whole tie (a float8 because trigram
// distances are rechecked, and PostgreSQL then wants every ORDER BY distance in floats).
// siglen=256 keeps the inner pages' signatures selective on these ~60-character strings.
// The French full-text vector and its GIN index were only read by this search: gone, so every
// insert (the bulk load most) computes and indexes less.
export async function up(knex: Knex): Promise<void> {
  await knex.raw('CREATE EXTENSION IF NOT EXISTS btree_gist');
  await knex.raw(`CREATE INDEX places_search_text_knn ON places
    USING gist (search_text gist_trgm_ops(siglen = 256), (id::float8))`);
  await knex.raw('DROP INDEX places_search_text_trgm');
  await knex.raw('DROP INDEX places_search_vector');
  await knex.raw('ALTER TABLE places DROP COLUMN search_vector');
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(`ALTER TABLE places ADD COLUMN search_vector tsvector GENERATED ALWAYS AS (
    to_tsvector('french', immutable_unaccent(nom || ' ' || commune || ' ' || adresse))) STORED`);
  await knex.raw('CREATE INDEX places_search_vector ON places USING gin (search_vector)');
  await knex.raw('CREATE INDEX places_search_text_trgm ON places USING gin (search_text gin_trgm_ops)');
  await knex.raw('DROP INDEX places_search_text_knn');
}
