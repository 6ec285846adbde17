import type { Knex } from 'knex';

// Abuse-limit counters shared by every app instance (in process memory, each instance would count
// on its own and N instances would allow N times the limit). One row per key and fixed window;
// keys are SHA-256 digests of "action:ip" / "action:account:…", so no address or IP is stored.
// `expires_at` (the window's end) lets ended windows be purged with one range delete on its index,
// whatever the length of each limit's window. `scope` separates sets of apps sharing one database
// (production: '' for every instance; tests: one per file), so one purges only its own rows.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('rate_limit_counters', (table) => {
    table.text('scope').notNullable().defaultTo('');
    table.text('key').notNullable();
    table.timestamp('window_start', { useTz: true }).notNullable();
    table.timestamp('expires_at', { useTz: true }).notNullable();
    table.integer('count').notNullable().defaultTo(0);
    table.primary(['key', 'window_start']);
    table.index(['scope', 'expires_at'], 'rate_limit_counters_scope_expires_at');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('rate_limit_counters');
}
