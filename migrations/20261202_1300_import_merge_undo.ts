import type { Knex } from 'knex';

// Import-time merges made reversible (issue 9, Duplicates): each alias keeps the imported row as it
// would have been created, the labels and the empty fields it gave the place, so that a moderator can
// separate it again; the row then becomes a place of its own and the pair is never proposed again.
// Aliases made before this migration have no record and cannot be separated.
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`ALTER TABLE place_source_aliases
    ADD COLUMN id bigserial UNIQUE,
    ADD COLUMN record jsonb,
    ADD COLUMN labels_added integer[] NOT NULL DEFAULT '{}',
    ADD COLUMN fields_filled jsonb NOT NULL DEFAULT '{}',
    ADD COLUMN separated_at timestamptz,
    ADD COLUMN separated_by bigint REFERENCES users(id) ON DELETE SET NULL,
    ADD COLUMN separated_place_id bigint REFERENCES places(id) ON DELETE SET NULL`);
  // The duplicates page lists the latest merges still in force.
  await knex.raw(
    'CREATE INDEX place_source_aliases_recent ON place_source_aliases (id DESC) WHERE separated_at IS NULL',
  );
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(`ALTER TABLE place_source_aliases
    DROP COLUMN separated_place_id, DROP COLUMN separated_by, DROP COLUMN separated_at,
    DROP COLUMN fields_filled, DROP COLUMN labels_added, DROP COLUMN record, DROP COLUMN id`);
}
