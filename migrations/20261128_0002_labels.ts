import type { Knex } from 'knex';

// Labels are data, not an enum: historical labels (NetPublic, Cyber-base), national programmes
// (the standard's dispositifs), training labels (the standard's formations_labels) and local ones.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('labels', (table) => {
    table.increments('id').primary();
    table.text('slug').notNullable().unique();
    table.text('name').notNullable();
    table.text('kind').notNullable();
    table.text('issuer');
    table.text('description');
    table.text('history');
    table.text('website');
    table.integer('active_from_year');
    table.integer('active_until_year');
    table.text('standard_field');
    table.text('standard_value').unique();
    table.integer('version').notNullable().defaultTo(1);
    table.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    table.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });
  await knex.raw(`ALTER TABLE labels ADD CONSTRAINT labels_slug_format CHECK (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$')`);
  await knex.raw(`ALTER TABLE labels ADD CONSTRAINT labels_kind_known
    CHECK (kind IN ('label_historique', 'programme_national', 'formation_label', 'local'))`);
  await knex.raw(`ALTER TABLE labels ADD CONSTRAINT labels_standard_field_known
    CHECK (standard_field IS NULL OR standard_field IN ('dispositif_programmes_nationaux', 'formations_labels'))`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('labels');
}
