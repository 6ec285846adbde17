import type { Knex } from 'knex';
import type { Db } from './knex.js';

interface PreparingConnection {
  query(config: { name: string; text: string; values: unknown[] }): Promise<{ rows: unknown[] }>;
}

interface PoolClient {
  emit(event: 'query', query: { sql: string; bindings: readonly unknown[]; method: string }): boolean;
  acquireConnection(): Promise<PreparingConnection>;
  releaseConnection(connection: PreparingConnection): Promise<unknown>;
}

/**
 * Runs a query built with Knex as a named prepared statement: each pool connection plans it once,
 * and after a few runs PostgreSQL keeps a generic plan. For the hottest pages' queries, whose
 * planning (2–3 ms for the place page's two) cost more than their execution (under 1 ms at 1M
 * places). `name` must always go with the same SQL text (only the values change). Inside a
 * transaction, the query simply runs on it.
 */
export async function runPrepared<Row>(db: Db | Knex.Transaction, name: string, query: Knex.QueryBuilder | Knex.Raw) {
  if ((db as Knex.Transaction).isTransaction) {
    const result = (await query) as unknown as Row[] | { rows: Row[] };
    return Array.isArray(result) ? result : result.rows;
  }
  const { sql, bindings } = query.toSQL().toNative();
  const client = db.client as PoolClient;
  // Announced as Knex announces its own queries, so that whoever watches `db.on('query')` (logs,
  // tests counting reads) sees these too.
  client.emit('query', { sql, bindings, method: 'select' });
  const connection = await client.acquireConnection();
  try {
    const result = await connection.query({ name, text: sql, values: [...bindings] });
    return result.rows as Row[];
  } finally {
    await client.releaseConnection(connection);
  }
}
