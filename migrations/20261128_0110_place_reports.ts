import type { Knex } from 'knex';

// "Signaler une erreur": a visitor's report, kept for moderation. It never changes the listing.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('place_reports', (table) => {
    table.bigIncrements('id').primary();
    table.bigInteger('place_id').notNullable().references('places.id').onDelete('CASCADE');
    table.text('category').notNullable();
    table.text('message').notNullable();
    table.text('email');
    table.text('status').notNullable().defaultTo('new');
    table.text('moderator_note');
    table.integer('version').notNullable().defaultTo(1);
    table.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    table.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    table.index(['place_id']);
    table.index(['status', 'created_at']);
  });
  await knex.raw(`ALTER TABLE place_reports
    ADD CONSTRAINT place_reports_category_known CHECK (category IN
      ('horaires', 'services', 'adresse', 'contacts', 'labels', 'n-existe-plus', 'autre')),
    ADD CONSTRAINT place_reports_status_known CHECK (status IN ('new', 'accepted', 'rejected')),
    ADD CONSTRAINT place_reports_message_length CHECK (length(btrim(message)) BETWEEN 1 AND 2000)`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('place_reports');
}
