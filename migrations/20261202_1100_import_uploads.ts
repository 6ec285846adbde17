import type { Knex } from 'knex';

// The moderators' upload page (issue 9). An uploaded file is kept in PostgreSQL, not on a local disk,
// so that any instance can show its preview and run its import; uploads older than a day are pruned.
// Named mappings let a moderator reuse the column-to-field choices made for a local format.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('import_uploads', (table) => {
    // Random ids: an upload's address cannot be guessed from another's.
    table.uuid('id').primary().defaultTo(knex.raw('gen_random_uuid()'));
    table.text('file_name').notNullable();
    table.binary('bytes').notNullable();
    table.integer('size_bytes').notNullable();
    table.bigInteger('uploaded_by').references('users.id').onDelete('SET NULL');
    table.timestamp('uploaded_at', { useTz: true }).notNullable();
    // The import's report (the counts and the rejections), once "Importer" has run.
    table.jsonb('report');
    table.bigInteger('imported_by').references('users.id').onDelete('SET NULL');
    table.timestamp('imported_at', { useTz: true });
  });
  await knex.raw('CREATE INDEX import_uploads_uploaded_at ON import_uploads (uploaded_at)');

  await knex.schema.createTable('import_mappings', (table) => {
    table.bigIncrements('id').primary();
    table.text('name').notNullable().unique();
    table.jsonb('mapping').notNullable();
    table.bigInteger('saved_by').references('users.id').onDelete('SET NULL');
    table.timestamp('saved_at', { useTz: true }).notNullable();
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('import_mappings');
  await knex.schema.dropTable('import_uploads');
}
