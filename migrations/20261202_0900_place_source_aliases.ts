import type { Knex } from 'knex';

// Import-time merging (issue 9, Duplicates): a row of another source found to be a place already
// here is merged into it; its (source, source_id) is kept as an alias so that importing that file
// again finds the same place instead of creating it. Owned by server/places/ like the place record.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('place_source_aliases', (table) => {
    table.text('source').notNullable();
    table.text('source_id').notNullable();
    table.primary(['source', 'source_id']);
    table.bigInteger('place_id').notNullable().references('places.id').onDelete('CASCADE');
    /** Why the row was taken for that place: 'pivot', 'nom-proche', … (the import report says the same). */
    table.text('reason').notNullable();
    table.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    table.index(['place_id']);
  });
  // Matching by SIRET: the default pivot (fourteen zeros) names no one and is left out.
  await knex.raw(`CREATE INDEX places_pivot ON places (pivot) WHERE pivot <> '00000000000000'`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('DROP INDEX IF EXISTS places_pivot');
  await knex.schema.dropTable('place_source_aliases');
}
