/**
 * `npm run import -- <file> [--source NAME] [--mapping map.json] [--encoding E] [--dry-run]
 * [--report out.csv] [--json]`: imports an open-data file into the configured database
 * (DATABASE_URL, or the embedded one: the running server's if it is up, else started here).
 * Exit codes: 0 done (rows may have been rejected: see the summary), 1 failure, 2 unknown file
 * format, mapping or arguments (nothing written).
 */
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import pino from 'pino';
import { z } from 'zod';
import { ConfigError, loadConfig } from '../config.js';
import { openDatabase } from '../database.js';
import { createLogger } from '../logging/logger.js';
import { systemClock } from '../shared/clock.js';
import { fileMappingSchema } from './import/file-mapping.js';
import {
  createFileImporter,
  inspectFile,
  MappingMismatchError,
  UnknownFileFormatError,
} from './import/import-file.service.js';
import { describeImport, describeUnknownFormat, jsonSummary, outcomesCsv } from './import/import-summary.js';
import { UnreadableFileError } from './import/table-reading.js';
import { encodingFromName } from './import/text-decoding.js';

const USAGE =
  'Usage : npm run import -- <fichier> [--source NOM] [--mapping correspondance.json] ' +
  '[--encoding utf-8|windows-1252] ' +
  '[--dry-run] [--report resultat.csv] [--json]';

const argumentsSchema = z.object({
  file: z.string().min(1, 'Fichier à importer manquant.'),
  source: z.string().trim().min(1).max(100).optional(),
  mapping: z.string().min(1).optional(),
  encoding: z
    .string()
    .transform((name, ctx) => {
      const encoding = encodingFromName(name);
      if (!encoding) ctx.addIssue({ code: 'custom', message: `Encodage inconnu : ${name} (utf-8 ou windows-1252).` });
      return encoding ?? z.NEVER;
    })
    .optional(),
  dryRun: z.boolean().default(false),
  report: z.string().min(1).optional(),
  json: z.boolean().default(false),
});

class UsageError extends Error {}

function parseArguments(argv: string[]) {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        source: { type: 'string' },
        mapping: { type: 'string' },
        encoding: { type: 'string' },
        'dry-run': { type: 'boolean' },
        report: { type: 'string' },
        json: { type: 'boolean' },
      },
    });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const result = argumentsSchema.safeParse({
    file: parsed.positionals[0],
    source: parsed.values.source,
    mapping: parsed.values.mapping,
    encoding: parsed.values.encoding,
    dryRun: parsed.values['dry-run'],
    report: parsed.values.report,
    json: parsed.values.json,
  });
  if (!result.success) throw new UsageError(result.error.issues.map((issue) => issue.message).join(' '));
  if (parsed.positionals.length > 1) throw new UsageError('Un seul fichier à la fois.');
  return result.data;
}

/** Progress: a bar that rewrites itself on a terminal, plain lines otherwise (logs, CI). */
function progressReporter(json: boolean) {
  if (json) return undefined;
  let lastLine = 0;
  return (done: number, total: number) => {
    if (process.stderr.isTTY) {
      const width = 30;
      const filled = Math.round((done / Math.max(total, 1)) * width);
      process.stderr.write(`\r[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total} lignes`);
      if (done === total) process.stderr.write('\n');
    } else if (done === total || done - lastLine >= 5000) {
      lastLine = done;
      process.stderr.write(`${done}/${total} lignes valides écrites\n`);
    }
  };
}

async function main(): Promise<number> {
  let args;
  try {
    args = parseArguments(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n${USAGE}\n`);
    return 2;
  }
  const bytes = await readFile(args.file);
  let mapping;
  if (args.mapping) {
    const parsed = fileMappingSchema.safeParse(JSON.parse(await readFile(args.mapping, 'utf8')));
    if (!parsed.success) {
      process.stderr.write(`Correspondance invalide (${args.mapping}) :\n${z.prettifyError(parsed.error)}\n`);
      return 2;
    }
    mapping = parsed.data;
  }
  // Recognised before any database is opened: an unknown file writes nothing and starts nothing.
  try {
    inspectFile(bytes, { fileName: args.file, source: args.source, mapping, encoding: args.encoding });
  } catch (error) {
    if (error instanceof UnknownFileFormatError) {
      process.stderr.write(`${describeUnknownFormat(error)}\n`);
      return 2;
    }
    if (error instanceof MappingMismatchError || error instanceof UnreadableFileError) {
      process.stderr.write(`${error.message}\nRien n’a été enregistré.\n`);
      return 2;
    }
    throw error;
  }
  const config = loadConfig();
  // Logs on stderr: stdout is the summary (or the one JSON object).
  const logger = createLogger(
    config.LOG_LEVEL === 'info' ? 'warn' : config.LOG_LEVEL,
    pino.destination({ dest: 2, sync: true }),
  );
  const database = await openDatabase(config, logger);
  try {
    const maintenance = database.openMaintenance();
    try {
      const importer = createFileImporter({ db: maintenance, clock: systemClock });
      const report = await importer.importFile(bytes, {
        fileName: path.basename(args.file),
        source: args.source,
        mapping,
        encoding: args.encoding,
        dryRun: args.dryRun,
        onProgress: progressReporter(args.json),
      });
      if (args.report) await writeFile(args.report, outcomesCsv(report));
      process.stdout.write(args.json ? `${JSON.stringify(jsonSummary(report))}\n` : `${describeImport(report)}\n`);
      return 0;
    } finally {
      await maintenance.destroy();
    }
  } finally {
    await database.close();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    const message =
      error instanceof ConfigError ? error.message : `Import impossible : ${(error as Error).stack ?? String(error)}`;
    process.stderr.write(`${message}\n`);
    process.exit(1);
  },
);
