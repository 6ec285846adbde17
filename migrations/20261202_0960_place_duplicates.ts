import type { Knex } from 'knex';

// Duplicates (issue 9): the same place read from several sources. A moderator merges a pair (or marks
// it distinct); the merged-away place stays as a row with status 'merged' and `merged_into_id`, so
// that its old address answers 301 to the kept place and the merge can be undone.
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`ALTER TABLE places DROP CONSTRAINT places_status_known,
    ADD CONSTRAINT places_status_known CHECK (status IN ('published', 'hidden', 'merged')),
    ADD COLUMN merged_into_id bigint REFERENCES places(id) ON DELETE SET NULL,
    ADD CONSTRAINT places_merged_has_target CHECK ((status = 'merged') = (merged_into_id IS NOT NULL))`);

  // The candidate queries' indexes: same SIRET, same phone or e-mail in a commune, a similar name
  // nearby (the GiST index on ll_to_earth already bounds "within 200 m"; the name is compared then).
  // Same SIRET uses places_pivot, made by the import's migration (20261202_0900).
  await knex.raw('CREATE INDEX places_telephone_insee ON places (telephone, code_insee) WHERE telephone IS NOT NULL');
  await knex.raw('CREATE INDEX places_courriels_gin ON places USING gin (courriels)');

  // A pair a moderator said are two different places: never proposed again. Stored with a < b.
  await knex.schema.createTable('place_duplicate_dismissals', (table) => {
    table.bigInteger('place_a_id').notNullable().references('places.id').onDelete('CASCADE');
    table.bigInteger('place_b_id').notNullable().references('places.id').onDelete('CASCADE');
    table.primary(['place_a_id', 'place_b_id']);
    table.bigInteger('decided_by').references('users.id').onDelete('SET NULL');
    table.timestamp('decided_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });
  await knex.raw(`ALTER TABLE place_duplicate_dismissals
    ADD CONSTRAINT place_duplicate_dismissals_ordered CHECK (place_a_id < place_b_id)`);

  // What a merge changed, so that "annuler la fusion" puts everything back.
  await knex.schema.createTable('place_merges', (table) => {
    table.bigIncrements('id').primary();
    table.bigInteger('kept_id').notNullable().references('places.id').onDelete('CASCADE');
    table.bigInteger('merged_id').notNullable().references('places.id').onDelete('CASCADE');
    table.text('merged_status').notNullable();
    table.jsonb('kept_changes').notNullable().defaultTo('{}');
    table.specificType('labels_added', 'integer[]').notNullable().defaultTo('{}');
    table.specificType('articles_moved', 'integer[]').notNullable().defaultTo('{}');
    table.bigInteger('merged_by').references('users.id').onDelete('SET NULL');
    table.timestamp('merged_at', { useTz: true }).notNullable();
    table.bigInteger('undone_by').references('users.id').onDelete('SET NULL');
    table.timestamp('undone_at', { useTz: true });
    table.index(['kept_id']);
    table.index(['merged_id']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('place_merges');
  await knex.schema.dropTable('place_duplicate_dismissals');
  await knex.raw('DROP INDEX places_courriels_gin');
  await knex.raw('DROP INDEX places_telephone_insee');
  await knex.raw(`UPDATE places SET status = 'hidden' WHERE status = 'merged'`);
  await knex.raw(`ALTER TABLE places DROP CONSTRAINT places_merged_has_target, DROP COLUMN merged_into_id,
    DROP CONSTRAINT places_status_known,
    ADD CONSTRAINT places_status_known CHECK (status IN ('published', 'hidden'))`);
}
