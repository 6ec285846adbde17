import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const PROJECT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const VITEST = path.join(PROJECT, 'node_modules', 'vitest', 'vitest.mjs');

interface Run {
  code: number | null;
  output: string;
  /** What .ci/run's closing step says about the run's JSON report, and its exit code. */
  summary: { code: number | null; output: string };
}

/**
 * The test command itself, on a planted test in a temporary folder: the very runner (vitest) with
 * the project's global setup (the embedded PostgreSQL, whose exit hook once turned every failure
 * into exit 0), then .ci/run's summary step on its JSON report.
 */
async function runPlanted(folder: string, testFile: string, source: string): Promise<Run> {
  await writeFile(path.join(folder, testFile), source);
  const report = path.join(folder, `${testFile}.json`);
  // The child must start its own embedded database: nothing of this run's environment leaks in.
  const env = Object.fromEntries(
    Object.entries(process.env).filter(
      ([name]) => !name.startsWith('VITEST') && name !== 'DATABASE_URL' && name !== 'NODE_OPTIONS',
    ),
  );
  const run = await execute(
    process.execPath,
    [
      VITEST,
      'run',
      '--root',
      folder,
      '--config',
      path.join(folder, 'vitest.config.mjs'),
      testFile,
      '--reporter=default',
      '--reporter=json',
      `--outputFile=${report}`,
    ],
    { cwd: folder, env },
  );
  const summary = await execute(process.execPath, [path.join(PROJECT, '.ci', 'test-summary.mjs'), report], {
    cwd: folder,
    env,
  });
  return { ...run, summary };
}

function execute(
  command: string,
  args: string[],
  options: { cwd: string; env: NodeJS.ProcessEnv },
): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    execFile(command, args, { ...options, timeout: 90_000 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : null) : 0;
      resolve({ code, output: [stdout, stderr].filter(Boolean).join('\n').trim() });
    });
  });
}

describe('the test command fails when a test fails (a planted test in a temporary copy)', () => {
  let folder = '';

  beforeAll(async () => {
    folder = await mkdtemp(path.join(os.tmpdir(), 'epn-planted-tests-'));
    // No import in these files: the temporary folder has no node_modules, so the globals stand in.
    const config = {
      test: {
        globals: true,
        globalSetup: [path.join(PROJECT, 'tests', 'support', 'global-setup.ts')],
        hookTimeout: 120_000,
        pool: 'forks',
      },
    };
    await writeFile(path.join(folder, 'vitest.config.mjs'), `export default ${JSON.stringify(config, null, 2)};\n`);
  });
  afterAll(() => rm(folder, { recursive: true, force: true }));

  it('when every planted test passes, then exit 0 and the summary says so (the harness itself works)', async () => {
    const run = await runPlanted(
      folder,
      'passing.test.mjs',
      "test('one and one', () => { expect(1 + 1).toBe(2); });\n",
    );
    expect(run.code, run.output).toBe(0);
    expect(run.summary).toEqual({ code: 0, output: '1 passed, 0 failed, 0 skipped' });
  }, 60_000);

  it('when a planted test fails, then the runner exits non-zero, and so does .ci/run’s summary', async () => {
    const run = await runPlanted(
      folder,
      'failing.test.mjs',
      "test('planted failure', () => { expect(1).toBe(2); });\n",
    );
    expect(run.output).toContain('planted failure');
    expect(run.code).not.toBe(0);
    expect(run.code).not.toBeNull();
    expect(run.summary.code).toBe(1);
    expect(run.summary.output).toContain('0 passed, 1 failed');
  }, 60_000);

  it('when a planted suite fails in its setup (beforeAll throws), then it is a failure, never a skip', async () => {
    const run = await runPlanted(
      folder,
      'broken-setup.test.mjs',
      [
        "describe('a suite whose setup breaks', () => {",
        "  beforeAll(() => { throw new Error('planted setup failure'); });",
        "  test('never runs', () => { expect(1).toBe(1); });",
        '});',
        '',
      ].join('\n'),
    );
    expect(run.output).toContain('planted setup failure');
    expect(run.code).not.toBe(0);
    expect(run.code).not.toBeNull();
    expect(run.summary.code).toBe(1);
    // vitest lists the test that never ran as "skipped"; the summary does not.
    expect(run.summary.output).toContain(
      '0 passed, 0 failed, 0 skipped; 1 file(s) failed outside any test (setup, import or hook), 1 test(s) not run',
    );
    expect(run.summary.output).toContain('FAILED');
    expect(run.summary.output).toContain('broken-setup.test.mjs');
    const report = JSON.parse(await readFile(path.join(folder, 'broken-setup.test.mjs.json'), 'utf8'));
    expect(report.success).toBe(false);
    expect(report.numFailedTestSuites).toBeGreaterThan(0);
  }, 60_000);
});
