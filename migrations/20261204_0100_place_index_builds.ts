import type { Knex } from 'knex';

// The indexes of `places` a first bulk load dropped and left to build after its commit, two at a
// time in their own sessions (server/places/place-index-builds.repository.ts). Written in the load's
// transaction, each row removed in the transaction of its own CREATE INDEX: a build cut short (the
// process killed) is done again at the next start.
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`CREATE TABLE place_index_builds (
    name text PRIMARY KEY,
    definition text NOT NULL CHECK (definition ~ '^CREATE INDEX '),
    requested_at timestamptz NOT NULL DEFAULT now()
  )`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('DROP TABLE place_index_builds');
}
