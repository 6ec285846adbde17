import type { Knex } from 'knex';

// Text search with a typo (issue 10): "marseile" matched Marseille's places only by word
// similarity, which the trigram index orders badly when no word is exact: 0.5 s at 1M places, and
// a mix of such searches held the pool. Every word of the places' search text (3 letters or more)
// is kept here, a few tens of thousands at 1M; a search first puts each unknown word of the query
// to its nearest known word (search-words.repository.ts), then the index finds exact words fast.
// Kept by the places' own statement-level triggers; a word no place uses any more stays (a
// search corrected to it finds nothing, as the word itself would).
const WORDS_OF = (rows: string) =>
  `SELECT DISTINCT w FROM ${rows}, regexp_split_to_table(search_text, '[^a-z0-9]+') AS w WHERE length(w) >= 3`;

export async function up(knex: Knex): Promise<void> {
  await knex.raw('CREATE TABLE search_words (word text PRIMARY KEY)');
  await knex.raw(`INSERT INTO search_words ${WORDS_OF('places')}`);
  await knex.raw('CREATE INDEX search_words_trgm ON search_words USING gist (word gist_trgm_ops)');
  await knex.raw(`CREATE FUNCTION places_keep_search_words() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      INSERT INTO search_words ${WORDS_OF('written_rows')} ON CONFLICT DO NOTHING;
      RETURN NULL;
    END $$`);
  for (const event of ['INSERT', 'UPDATE']) {
    await knex.raw(`CREATE TRIGGER places_search_words_${event.toLowerCase()} AFTER ${event} ON places
      REFERENCING NEW TABLE AS written_rows FOR EACH STATEMENT EXECUTE FUNCTION places_keep_search_words()`);
  }
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('DROP TRIGGER IF EXISTS places_search_words_insert ON places');
  await knex.raw('DROP TRIGGER IF EXISTS places_search_words_update ON places');
  await knex.raw('DROP FUNCTION IF EXISTS places_keep_search_words()');
  await knex.raw('DROP TABLE IF EXISTS search_words');
}
