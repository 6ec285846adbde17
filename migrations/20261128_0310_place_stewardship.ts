import type { Knex } from 'knex';

// Who manages which place (claims), places proposed by mediators, label change requests,
// the revisions of every change to a place, and the moderators' audit log.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('place_managers', (table) => {
    table.bigIncrements('id').primary();
    table.bigInteger('place_id').notNullable().references('places.id').onDelete('CASCADE');
    table.bigInteger('user_id').notNullable().references('users.id').onDelete('CASCADE');
    table.text('status').notNullable();
    table.text('method');
    table.text('message');
    table.text('reason');
    table.bigInteger('decided_by').references('users.id').onDelete('SET NULL');
    table.timestamp('decided_at', { useTz: true });
    table.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    table.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    table.unique(['place_id', 'user_id']);
    table.index(['user_id']);
  });
  await knex.raw(`ALTER TABLE place_managers
    ADD CONSTRAINT place_managers_status_known CHECK (status IN ('pending', 'approved', 'rejected', 'revoked')),
    ADD CONSTRAINT place_managers_method_known
      CHECK (method IS NULL OR method IN ('email', 'domain', 'moderator', 'proposal'))`);

  await knex.schema.createTable('place_proposals', (table) => {
    table.bigIncrements('id').primary();
    table.bigInteger('user_id').notNullable().references('users.id').onDelete('CASCADE');
    table.jsonb('record').notNullable();
    table.text('status').notNullable().defaultTo('pending');
    table.bigInteger('place_id').references('places.id').onDelete('SET NULL');
    table.text('reason');
    table.bigInteger('decided_by').references('users.id').onDelete('SET NULL');
    table.timestamp('decided_at', { useTz: true });
    table.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });
  await knex.raw(`ALTER TABLE place_proposals
    ADD CONSTRAINT place_proposals_status_known CHECK (status IN ('pending', 'accepted', 'rejected'))`);

  await knex.schema.createTable('label_requests', (table) => {
    table.bigIncrements('id').primary();
    table.bigInteger('place_id').notNullable().references('places.id').onDelete('CASCADE');
    table.integer('label_id').notNullable().references('labels.id').onDelete('CASCADE');
    table.text('action').notNullable();
    table.bigInteger('user_id').notNullable().references('users.id').onDelete('CASCADE');
    table.text('status').notNullable().defaultTo('pending');
    table.text('reason');
    table.bigInteger('decided_by').references('users.id').onDelete('SET NULL');
    table.timestamp('decided_at', { useTz: true });
    table.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    table.index(['place_id']);
  });
  await knex.raw(`ALTER TABLE label_requests
    ADD CONSTRAINT label_requests_action_known CHECK (action IN ('add', 'remove')),
    ADD CONSTRAINT label_requests_status_known CHECK (status IN ('pending', 'accepted', 'rejected'))`);
  await knex.raw(
    `CREATE UNIQUE INDEX label_requests_one_pending ON label_requests (place_id, label_id) WHERE status = 'pending'`,
  );

  await knex.schema.createTable('place_revisions', (table) => {
    table.bigIncrements('id').primary();
    table.bigInteger('place_id').notNullable().references('places.id').onDelete('CASCADE');
    table.integer('version').notNullable();
    table.bigInteger('user_id').references('users.id').onDelete('SET NULL');
    table.text('author_role').notNullable();
    table.text('kind').notNullable();
    table.text('section');
    table.jsonb('changes').notNullable().defaultTo('{}');
    table.bigInteger('reverts_revision_id').references('place_revisions.id').onDelete('SET NULL');
    table.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    table.index(['place_id', 'id']);
  });
  await knex.raw(`ALTER TABLE place_revisions
    ADD CONSTRAINT place_revisions_kind_known CHECK (kind IN ('edit', 'revert', 'verify', 'labels', 'create')),
    ADD CONSTRAINT place_revisions_author_role_known
      CHECK (author_role IN ('mediator', 'moderator', 'admin', 'system'))`);

  await knex.schema.createTable('audit_log', (table) => {
    table.bigIncrements('id').primary();
    table.bigInteger('actor_id').references('users.id').onDelete('SET NULL');
    table.text('action').notNullable();
    table.text('subject_type').notNullable();
    table.text('subject_id').notNullable();
    table.text('reason');
    table.jsonb('details').notNullable().defaultTo('{}');
    table.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    table.index(['subject_type', 'subject_id']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('audit_log');
  await knex.schema.dropTable('place_revisions');
  await knex.schema.dropTable('label_requests');
  await knex.schema.dropTable('place_proposals');
  await knex.schema.dropTable('place_managers');
}
