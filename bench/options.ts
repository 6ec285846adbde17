import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { z } from 'zod';

/** `npm start`'s own command: the benchmark runs the server with production's Node flags. */
const startCommand = z
  .object({ scripts: z.object({ start: z.string() }) })
  .parse(JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'))).scripts.start;

/** Its Node flags (heap sizes), given to the two reference servers too so the ratios compare like with like. */
export const productionNodeFlags = startCommand
  .split(/\s+/)
  .filter((word) => word.startsWith('--'))
  .join(' ');

/**
 * The benchmark's settings, from the command line (`npm run bench -- --places 10000 --duration 2`)
 * and two environment variables. Parsed once with zod; a wrong value stops the run at once.
 */
const optionsSchema = z.object({
  places: z.coerce.number().int().min(0).max(5_000_000).default(100_000),
  seed: z.coerce.number().int().default(42),
  /** Seconds measured per scenario, after the warm-up. */
  duration: z.coerce.number().positive().default(10),
  warmup: z.coerce.number().min(0).default(3),
  connections: z.coerce.number().int().min(1).default(50),
  /** Only the scenarios whose name contains this text (the two reference servers always run). */
  only: z.string().optional(),
  /**
   * How to start the application server; DATABASE_URL, PORT and NODE_ENV are set by the run. By
   * default `npm start`'s command on the compiled build, as in production (`npm run bench` builds it first).
   */
  serverCommand: z.string().default(startCommand),
  databaseUrl: z.url().optional(),
});

export type BenchOptions = z.infer<typeof optionsSchema>;

export function benchOptions(argv: string[], env: NodeJS.ProcessEnv): BenchOptions {
  const { values } = parseArgs({
    args: argv,
    options: {
      places: { type: 'string' },
      seed: { type: 'string' },
      duration: { type: 'string' },
      warmup: { type: 'string' },
      connections: { type: 'string' },
      only: { type: 'string' },
      'server-command': { type: 'string' },
    },
  });
  return optionsSchema.parse({
    ...values,
    serverCommand: values['server-command'] ?? env.BENCH_SERVER_COMMAND,
    databaseUrl: env.BENCH_DATABASE_URL,
  });
}
