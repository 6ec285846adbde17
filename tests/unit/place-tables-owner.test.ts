import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/*
 * server/places/ owns the place record: only it writes `places`, `place_revisions` and
 * `place_labels` (through place-writes.service.ts). This guard reads the sources of server/ and
 * seeds/ and fails when another file writes one of those tables. Kept simple on purpose: it
 * looks for a Knex call on one of the tables (`db('places')`, `trx('place_labels as pl')`, …)
 * whose statement (up to the next `;`) goes on to insert, update, delete or merge, and for
 * raw SQL that does the same (`INSERT INTO places`, `UPDATE place_labels`, …). Reads stay free.
 */
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const OWNER = path.join('server', 'places') + path.sep;

const TABLE_CALL = /\(\s*'(places|place_revisions|place_labels)(?:\s+as\s+\w+)?'\s*\)/g;
const WRITE_CALL = /\.(insert|update|delete|del|merge|truncate)\s*\(/;
const RAW_WRITE = /\b(insert\s+into|update|delete\s+from)\s+(places|place_revisions|place_labels)\b/i;

function sourcesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) return sourcesUnder(full);
    return name.endsWith('.ts') ? [full] : [];
  });
}

/** Every place in `source` that writes a place table: "line: code". */
export function placeTableWrites(source: string): string[] {
  const found: string[] = [];
  const lineOf = (index: number) => source.slice(0, index).split('\n').length;
  for (const match of source.matchAll(TABLE_CALL)) {
    const end = source.indexOf(';', match.index);
    const statement = source.slice(match.index, end === -1 ? undefined : end);
    if (WRITE_CALL.test(statement)) found.push(`${lineOf(match.index)}: ${match[0]}`);
  }
  for (const match of source.matchAll(new RegExp(RAW_WRITE, 'gi'))) found.push(`${lineOf(match.index)}: ${match[0]}`);
  return found;
}

describe('who writes the place record', () => {
  const files = [...sourcesUnder(path.join(ROOT, 'server')), ...sourcesUnder(path.join(ROOT, 'seeds'))];

  it('when a file outside server/places/ writes places, place_revisions or place_labels, then it is named', () => {
    const offenders = files
      .filter((file) => !path.relative(ROOT, file).startsWith(OWNER))
      .flatMap((file) =>
        placeTableWrites(readFileSync(file, 'utf8')).map((where) => `${path.relative(ROOT, file)}:${where}`),
      );
    expect(offenders).toEqual([]);
  });

  it('when the place-writing repository writes the three tables, then the guard sees them (it can fail)', () => {
    const writes = placeTableWrites(readFileSync(path.join(ROOT, 'server/places/place-writes.repository.ts'), 'utf8'));
    for (const table of ['places', 'place_revisions', 'place_labels'])
      expect(writes.some((w) => w.includes(`'${table}'`))).toBe(true);
    expect(placeTableWrites("await trx('places as p').where({ id }).update({ nom });")).toHaveLength(1);
    expect(placeTableWrites("await db.raw('DELETE FROM place_labels WHERE place_id = ?', [id]);")).toHaveLength(1);
    expect(placeTableWrites("const row = await db('places').where({ id }).first();")).toEqual([]);
  });
});
