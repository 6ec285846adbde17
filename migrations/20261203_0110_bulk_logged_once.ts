import type { Knex } from 'knex';

// Migration 20261203_0100 logged "every place" (place 0) from each statement trigger of a bulk
// load: the places' and the label links' triggers both fired, even for a load that inserted
// nothing, and each entry made every instance read all the places again (two full reloads of a
// million places after one load). Now once per transaction, and only when a row changed: places
// and label links are committed together, and one reload sees both.
const EVERY_PLACE = 0;

const logChanges = (table: string, idColumn: string, once: boolean) => `CREATE OR REPLACE FUNCTION
  ${table}_log_changes() RETURNS trigger LANGUAGE plpgsql AS $$
  DECLARE
    first_seq bigint;
    last_seq bigint;
  BEGIN
    IF current_setting('epn.bulk', true) = 'on' THEN
      ${
        once
          ? `IF current_setting('epn.bulk_logged', true) IS DISTINCT FROM 'on'
         AND EXISTS (SELECT 1 FROM changed_rows) THEN
        INSERT INTO place_changes (place_id) VALUES (${EVERY_PLACE}) RETURNING seq INTO first_seq;
        last_seq := first_seq;
        PERFORM set_config('epn.bulk_logged', 'on', true);
      END IF;`
          : `INSERT INTO place_changes (place_id) VALUES (${EVERY_PLACE}) RETURNING seq INTO first_seq;
      last_seq := first_seq;`
      }
    ELSE
      WITH logged AS (
        INSERT INTO place_changes (place_id) SELECT DISTINCT ${idColumn} FROM changed_rows RETURNING seq
      )
      SELECT min(seq), max(seq) INTO first_seq, last_seq FROM logged;
    END IF;
    IF first_seq IS NOT NULL THEN
      PERFORM pg_notify('places_changed', first_seq || '-' || last_seq);
    END IF;
    RETURN NULL;
  END $$`;

export async function up(knex: Knex): Promise<void> {
  await knex.raw(logChanges('places', 'id', true));
  await knex.raw(logChanges('place_labels', 'place_id', true));
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(logChanges('places', 'id', false));
  await knex.raw(logChanges('place_labels', 'place_id', false));
}
