import knexFactory, { type Knex } from 'knex';
import pg from 'pg';

// DATE columns stay 'YYYY-MM-DD' strings: a JS Date would shift them by the time zone.
pg.types.setTypeParser(pg.types.builtins.DATE, (value: string) => value);
// bigint counts (count(*)) fit in a JS number for this application's sizes.
pg.types.setTypeParser(pg.types.builtins.INT8, (value: string) => Number(value));

export type Db = Knex;

export interface DbOptions {
  /**
   * PostgreSQL's statement_timeout for every connection of the pool (set at connection start-up):
   * a query that runs longer is cancelled with SQLSTATE 57014 instead of holding its connection
   * for as long as the database is stuck. Undefined: the server's default (none).
   */
  statementTimeoutMs?: number;
}

export function createDb(connectionString: string, pool = { min: 0, max: 10 }, options: DbOptions = {}): Db {
  const connection =
    options.statementTimeoutMs === undefined
      ? connectionString
      : { connectionString, statement_timeout: options.statementTimeoutMs };
  return knexFactory({ client: 'pg', connection, pool, acquireConnectionTimeout: 5000 });
}
