import { execFile, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import request from 'supertest';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { createTestContext } from '../../support/context.js';
import { crowdSpot } from '../../support/factories.js';
import { fixtureImporter, fixturePath } from './import-fixtures.js';

const ROOT = path.resolve(import.meta.dirname, '../../..');
const cliEnv = () => ({ ...process.env, DATABASE_URL: inject('databaseUrl'), LOG_LEVEL: 'silent' });
const CLI = ['server/opendata/import-cli.ts'];

function runCli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      'node_modules/.bin/tsx',
      [...CLI, ...args],
      { cwd: ROOT, env: cliEnv(), timeout: 90_000 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

describe('import: the command', () => {
  const { app, db, clock } = createTestContext();
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'epn-import-'));
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  it('when the file is in no known format and has no mapping, then exit 2 says why, writes nothing', async () => {
    const file = path.join(tmp, 'inconnu.csv');
    const marker = `Zqinconnu${randomUUID().slice(0, 8)}`;
    writeFileSync(file, `Structure;Lieu-dit;Quand\n${marker};quelque part;le mardi\n`);
    const result = await runCli([file]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('Format de fichier inconnu');
    expect(result.stderr).toContain('Colonnes trouvées (3) : Structure, Lieu-dit, Quand');
    expect(result.stderr).toContain('Champs du standard introuvables : nom, adresse, code_postal, commune');
    expect(result.stderr).toContain('--mapping');
    expect(await db('places').where('nom', 'like', `%${marker}%`).first()).toBeUndefined();
  }, 60_000);

  it('when --json is given, then stdout is one JSON object with the counts and the rejections', async () => {
    const source = `cli-${randomUUID().slice(0, 8)}`;
    const report = path.join(tmp, 'rapport.csv');
    // The fixture with its own source and 100 km south: import-rows.test.ts imports it too, and the same
    // place from another source nearby would be merged into that one.
    const file = path.join(tmp, 'rejets.csv');
    const content = readFileSync(fixturePath('rejets.csv'), 'utf8');
    writeFileSync(file, content.replaceAll('fixture-rej', source).replaceAll(',47.4', ',46.5'));
    const result = await runCli([file, '--json', '--report', report]);
    expect(result.code).toBe(0);
    const summary = JSON.parse(result.stdout);
    expect(Object.keys(summary)).toEqual([
      'file',
      'format',
      'encoding',
      'read',
      'created',
      'updated',
      'unchanged',
      'merged',
      'rejected',
      'rejections',
    ]);
    expect(summary).toMatchObject({
      file: 'rejets.csv',
      format: 'standard-v1',
      encoding: 'utf-8',
      read: 5,
      rejected: 4,
    });
    expect(summary.rejections[0]).toEqual({ row: 1, field: 'nom', value: null, rule: 'Champ obligatoire manquant.' });
    const outcomes = parse<Record<string, string>>(readFileSync(report, 'utf8'), { columns: true });
    expect(outcomes.map((o) => o.resultat)).toEqual(['rejeté', 'rejeté', 'rejeté', expect.any(String), 'rejeté']);
  }, 60_000);

  it('when the import is killed mid-way, then no batch is half-written and a re-run completes it', async () => {
    const source = `kill-${randomUUID().slice(0, 8)}`;
    const total = 3000;
    const lines = ['id,nom,commune,code_postal,adresse,latitude,longitude,date_maj'];
    // On a grid 1 km apart: rows of similar names within 200 m would be merged, not created.
    const corner = crowdSpot();
    for (let i = 0; i < total; i += 1) {
      const spot = {
        lat: (corner.lat + (i % 50) * 0.01).toFixed(5),
        lon: (corner.lon + Math.floor(i / 50) * 0.05).toFixed(5),
      };
      lines.push(`k${i},Lieu ${source} ${i},Bourges,18000,${i} rue du Test,${spot.lat},${spot.lon},2024-01-01`);
    }
    const file = path.join(tmp, 'gros.csv');
    writeFileSync(file, lines.join('\n'));
    const count = async () => Number((await db('places').where({ source }).count('* as n'))[0].n);

    // One process (node with tsx's loader, not the tsx wrapper that would outlive its child's killer).
    const child = spawn(process.execPath, ['--import', 'tsx', ...CLI, file, '--source', source], {
      cwd: ROOT,
      env: cliEnv(),
    });
    const exited = new Promise<NodeJS.Signals | null>((resolve) =>
      child.on('exit', (_code, signal) => resolve(signal)),
    );
    let before = 0;
    while (before === 0) {
      await new Promise((resolve) => setTimeout(resolve, 5));
      before = await count();
    }
    // SIGKILL: no handler runs; the batch in flight dies with the connection.
    process.kill(child.pid!, 'SIGKILL');
    expect(await exited).toBe('SIGKILL');
    await new Promise((resolve) => setTimeout(resolve, 300));
    before = await count();
    expect(before).toBeLessThan(total);
    expect(before % 500).toBe(0);

    const rerun = await runCli([file, '--source', source, '--json']);
    expect(rerun.code).toBe(0);
    const summary = JSON.parse(rerun.stdout);
    expect(summary).toMatchObject({ read: total, created: total - before, unchanged: before, rejected: 0 });
    expect(await count()).toBe(total);
  }, 120_000);

  it('when the standard’s valid example is imported then exported, then every field comes back as it was', async () => {
    const report = await fixtureImporter(db, clock)('exemple-valide.csv');
    expect(report).toMatchObject({ format: 'standard-v1', read: 1, created: 1, rejected: 0 });
    const [original] = parse<Record<string, string>>(readFileSync(fixturePath('exemple-valide.csv'), 'utf8'), {
      columns: true,
    });
    const res = await request(app).get('/api/v1/export.csv').query({ bbox: '5.414,43.525,5.415,43.527' });
    expect(res.status).toBe(200);
    const exported = parse<Record<string, string>>(res.text, { columns: true }).find((row) => row.nom === original.nom);
    expect(exported).toBeDefined();
    // Our id is the export's own; the rest is the standard's record as given.
    const withoutId = (record: Record<string, string>) =>
      Object.fromEntries(Object.entries(record).filter(([key]) => key !== 'id'));
    const fields = withoutId(exported!);
    const expected = withoutId(original);
    const sorted = (record: Record<string, string>) =>
      Object.fromEntries(
        Object.entries(record).map(([k, v]) => [k, v.includes('|') ? v.split('|').sort().join('|') : v]),
      );
    expect(sorted(fields)).toEqual(sorted(expected));
  });
});
