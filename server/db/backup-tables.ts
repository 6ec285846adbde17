import type pg from 'pg';

/** Knex's own bookkeeping: which migrations ran. Backed up and restored like any table. */
export const MIGRATION_TABLES = ['knex_migrations', 'knex_migrations_lock'];

export const quoteIdent = (name: string) => `"${name.replace(/"/g, '""')}"`;

/**
 * Every table of the public schema, each after the tables its foreign keys point to: restored in
 * this order, every row finds its parent already there (a table referring to itself is fine:
 * COPY checks its foreign keys at the end of the statement). Ties are alphabetical, so two
 * backups of the same schema list tables in the same order.
 */
export async function tablesInDependencyOrder(client: pg.Client): Promise<string[]> {
  const tables = (
    await client.query<{ name: string }>(
      "SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename",
    )
  ).rows.map((row) => row.name);
  const references = (
    await client.query<{ child: string; parent: string }>(
      `SELECT DISTINCT c.conrelid::regclass::text AS child, c.confrelid::regclass::text AS parent
         FROM pg_constraint c JOIN pg_namespace n ON n.oid = c.connamespace
        WHERE c.contype = 'f' AND n.nspname = 'public' AND c.conrelid <> c.confrelid`,
    )
  ).rows;
  const parents = new Map(tables.map((table) => [table, new Set<string>()]));
  for (const { child, parent } of references) parents.get(unquote(child))?.add(unquote(parent));
  const ordered: string[] = [];
  const placed = new Set<string>();
  while (ordered.length < tables.length) {
    const next = tables.find(
      (table) => !placed.has(table) && [...(parents.get(table) ?? [])].every((parent) => placed.has(parent)),
    );
    if (!next) throw new Error('Clés étrangères circulaires entre tables : ordre de restauration introuvable.');
    ordered.push(next);
    placed.add(next);
  }
  return ordered;
}

const unquote = (name: string) => name.replace(/^"(.*)"$/, '$1').replace(/""/g, '"');

/** Each (table, column, sequence) whose values come from a sequence: serial and identity columns. */
export async function sequenceColumns(
  client: pg.Client,
): Promise<{ table: string; column: string; sequence: string }[]> {
  const { rows } = await client.query<{ table: string; column: string; sequence: string | null }>(
    `SELECT c.table_name AS table, c.column_name AS column,
            pg_get_serial_sequence(quote_ident(c.table_name), c.column_name) AS sequence
       FROM information_schema.columns c
       JOIN pg_tables t ON t.schemaname = c.table_schema AND t.tablename = c.table_name
      WHERE c.table_schema = 'public'`,
  );
  return rows.filter((row): row is { table: string; column: string; sequence: string } => row.sequence !== null);
}
