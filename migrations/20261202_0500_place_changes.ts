import type { Knex } from 'knex';

// The in-memory place index of every server instance stays fresh from this journal: any write to
// places or place_labels, by any path (the app, a bulk import, psql), logs the ids it touched and
// wakes the listeners with NOTIFY places_changed, whose payload is the statement's range of log
// sequence numbers ("first-last"). Statement-level triggers with transition tables: a bulk load of
// a million rows costs one set-based insert and one notification, not a million. The log also lets
// a request check in one read that its instance is not behind (read-your-writes across instances)
// and a reconnected listener catch up; rows older than an hour are pruned by the instances.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('place_changes', (table) => {
    table.bigIncrements('seq').primary();
    table.bigInteger('place_id').notNullable();
    table.timestamp('changed_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });

  for (const [table, idColumn] of [
    ['places', 'id'],
    ['place_labels', 'place_id'],
  ]) {
    await knex.raw(`CREATE FUNCTION ${table}_log_changes() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE
        first_seq bigint;
        last_seq bigint;
      BEGIN
        WITH logged AS (
          INSERT INTO place_changes (place_id) SELECT DISTINCT ${idColumn} FROM changed_rows RETURNING seq
        )
        SELECT min(seq), max(seq) INTO first_seq, last_seq FROM logged;
        IF first_seq IS NOT NULL THEN
          PERFORM pg_notify('places_changed', first_seq || '-' || last_seq);
        END IF;
        RETURN NULL;
      END $$`);
    await knex.raw(`CREATE TRIGGER ${table}_changed_insert AFTER INSERT ON ${table}
      REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION ${table}_log_changes()`);
    await knex.raw(`CREATE TRIGGER ${table}_changed_update AFTER UPDATE ON ${table}
      REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION ${table}_log_changes()`);
    await knex.raw(`CREATE TRIGGER ${table}_changed_delete AFTER DELETE ON ${table}
      REFERENCING OLD TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION ${table}_log_changes()`);
  }
}

export async function down(knex: Knex): Promise<void> {
  for (const table of ['places', 'place_labels']) {
    for (const event of ['insert', 'update', 'delete']) {
      await knex.raw(`DROP TRIGGER IF EXISTS ${table}_changed_${event} ON ${table}`);
    }
    await knex.raw(`DROP FUNCTION IF EXISTS ${table}_log_changes()`);
  }
  await knex.schema.dropTable('place_changes');
}
