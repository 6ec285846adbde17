import type { Knex } from 'knex';

// Pages kept in memory (place pages, search pages, text searches) are filed under the version of
// the in-memory index, which moves when the change log names a place. A label created, renamed or
// retired changed no place row, so a kept page could show its old name, or a search page's filters
// miss a new label, for the minute the page lived. Any write to `labels` now logs one entry naming
// place -1, "the labels" (no place has that id): an instance that reads it moves its version and
// forgets its displayed rows, without reloading any place.
const LABELS = -1;

export async function up(knex: Knex): Promise<void> {
  // Only when a row changed: a statement that touched nothing makes no page stale.
  await knex.raw(`CREATE FUNCTION labels_log_changes() RETURNS trigger LANGUAGE plpgsql AS $$
    DECLARE
      logged_seq bigint;
    BEGIN
      IF EXISTS (SELECT 1 FROM changed_rows) THEN
        INSERT INTO place_changes (place_id) VALUES (${LABELS}) RETURNING seq INTO logged_seq;
        PERFORM pg_notify('places_changed', logged_seq || '-' || logged_seq);
      END IF;
      RETURN NULL;
    END $$`);
  for (const [event, rows] of [
    ['INSERT', 'NEW'],
    ['UPDATE', 'NEW'],
    ['DELETE', 'OLD'],
  ])
    await knex.raw(`CREATE TRIGGER labels_changed_${event.toLowerCase()} AFTER ${event} ON labels
      REFERENCING ${rows} TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION labels_log_changes()`);
}

export async function down(knex: Knex): Promise<void> {
  for (const event of ['insert', 'update', 'delete']) await knex.raw(`DROP TRIGGER labels_changed_${event} ON labels`);
  await knex.raw('DROP FUNCTION labels_log_changes()');
}
