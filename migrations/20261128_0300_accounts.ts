import type { Knex } from 'knex';

// Accounts: users (argon2id hashes only), one-time tokens (stored as SHA-256 hashes, single use,
// expiring) and the sessions table of connect-pg-simple (created here, never at run time).
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('users', (table) => {
    table.bigIncrements('id').primary();
    table.text('email').notNullable();
    table.text('password_hash');
    table.text('role').notNullable().defaultTo('mediator');
    table.timestamp('email_verified_at', { useTz: true });
    table.integer('version').notNullable().defaultTo(1);
    table.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    table.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });
  await knex.raw('CREATE UNIQUE INDEX users_email_unique ON users (lower(email))');
  await knex.raw(`ALTER TABLE users
    ADD CONSTRAINT users_role_known CHECK (role IN ('mediator', 'moderator', 'admin')),
    ADD CONSTRAINT users_email_shape CHECK (email ~ '^[^@\\s]+@[^@\\s]+$')`);

  await knex.schema.createTable('account_tokens', (table) => {
    table.bigIncrements('id').primary();
    table.bigInteger('user_id').notNullable().references('users.id').onDelete('CASCADE');
    table.text('purpose').notNullable();
    table.text('token_hash').notNullable().unique();
    table.timestamp('expires_at', { useTz: true }).notNullable();
    table.timestamp('used_at', { useTz: true });
    table.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    table.index(['user_id', 'purpose']);
  });
  await knex.raw(`ALTER TABLE account_tokens
    ADD CONSTRAINT account_tokens_purpose_known CHECK (purpose IN ('verify_email', 'reset_password'))`);

  // connect-pg-simple's table (its table.sql), under our name.
  await knex.schema.createTable('sessions', (table) => {
    table.string('sid').primary();
    table.json('sess').notNullable();
    table.timestamp('expire', { precision: 6, useTz: false }).notNullable();
    table.index(['expire'], 'sessions_expire');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('sessions');
  await knex.schema.dropTable('account_tokens');
  await knex.schema.dropTable('users');
}
