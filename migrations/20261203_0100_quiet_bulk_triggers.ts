import type { Knex } from 'knex';

// A bulk load (server/places/places.bulk.ts sets `epn.bulk` for its own transaction) made the
// statement triggers do per-row work that nobody used: at 1M places the change log got a row per
// place and per label link (1.8M rows, 3.9 s), which every instance then read back only to reload
// everything anyway; and the search words were split inside the trigger, out of the statement's
// transition table (5.7 s, against 3 s for the same words straight from the rows). In a bulk
// transaction the log now gets one row naming place 0, "every place" (an instance that reads it
// reloads all): once per transaction, since places and label links are committed together and one
// reload sees both, and only when a row changed. The load adds the words of the rows it inserted
// itself, with the same `search_words_of` the trigger uses.
const EVERY_PLACE = 0;

const SEARCH_WORDS_OF = `CREATE OR REPLACE FUNCTION search_words_of(search_text text) RETURNS SETOF text
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  AS $$ SELECT w FROM regexp_split_to_table(search_text, '[^a-z0-9]+') AS w WHERE length(w) >= 3 $$`;

const inBulk = `current_setting('epn.bulk', true) = 'on'`;

const WORDS_BEFORE = `regexp_split_to_table(search_text, '[^a-z0-9]+') AS w WHERE length(w) >= 3`;

const keepSearchWords = (quietInBulk: boolean) => `CREATE OR REPLACE FUNCTION places_keep_search_words()
  RETURNS trigger LANGUAGE plpgsql AS $$
  BEGIN
    ${quietInBulk ? `IF ${inBulk} THEN RETURN NULL; END IF;` : ''}
    INSERT INTO search_words
      SELECT DISTINCT w FROM written_rows, ${quietInBulk ? 'search_words_of(search_text) AS w' : WORDS_BEFORE}
      ON CONFLICT DO NOTHING;
    RETURN NULL;
  END $$`;

const logChanges = (table: string, idColumn: string, quietInBulk: boolean) => `CREATE OR REPLACE FUNCTION
  ${table}_log_changes() RETURNS trigger LANGUAGE plpgsql AS $$
  DECLARE
    first_seq bigint;
    last_seq bigint;
  BEGIN
    ${
      quietInBulk
        ? `IF ${inBulk} THEN
      IF current_setting('epn.bulk_logged', true) IS DISTINCT FROM 'on'
         AND EXISTS (SELECT 1 FROM changed_rows) THEN
        INSERT INTO place_changes (place_id) VALUES (${EVERY_PLACE}) RETURNING seq INTO first_seq;
        last_seq := first_seq;
        PERFORM set_config('epn.bulk_logged', 'on', true);
      END IF;
    ELSE`
        : ''
    }
      WITH logged AS (
        INSERT INTO place_changes (place_id) SELECT DISTINCT ${idColumn} FROM changed_rows RETURNING seq
      )
      SELECT min(seq), max(seq) INTO first_seq, last_seq FROM logged;
    ${quietInBulk ? 'END IF;' : ''}
    IF first_seq IS NOT NULL THEN
      PERFORM pg_notify('places_changed', first_seq || '-' || last_seq);
    END IF;
    RETURN NULL;
  END $$`;

export async function up(knex: Knex): Promise<void> {
  await knex.raw(SEARCH_WORDS_OF);
  await knex.raw(keepSearchWords(true));
  await knex.raw(logChanges('places', 'id', true));
  await knex.raw(logChanges('place_labels', 'place_id', true));
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(keepSearchWords(false));
  await knex.raw(logChanges('places', 'id', false));
  await knex.raw(logChanges('place_labels', 'place_id', false));
  await knex.raw('DROP FUNCTION IF EXISTS search_words_of(text)');
}
