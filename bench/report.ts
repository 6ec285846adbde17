/** The benchmark's results as JSON and as a Markdown table (bench/results/<N>.json and <N>.md). */
import type { LoadTimings } from './database.js';
import { overloadMarkdown, type OverloadResult } from './overload.js';
import type { Target } from './scenarios.js';

export interface ScenarioResult {
  name: string;
  target: Target;
  requests_per_s: number;
  p50_ms: number;
  p99_ms: number;
  requests: number;
  /** Answers by HTTP status other than 2xx, e.g. { "500": 12 }. */
  non_2xx: Record<string, number>;
  /** Connection errors and timeouts (no HTTP answer at all). */
  errors: number;
  timeouts: number;
  rss_peak_mb: number;
  ratio_to_minimal?: number;
  ratio_to_hello?: number;
}

export interface BenchReport {
  date: string;
  machine: { cpus: number; model?: string; memory_gb: number; node: string };
  settings: {
    places: number;
    seed: number;
    connections: number;
    warmup_s: number;
    duration_s: number;
    server_command: string;
  };
  load: LoadTimings;
  /** From the spawn of the application to its first answer: database pool, index load, listen. */
  app_startup_ms: number;
  app_rss_at_rest_mb: number;
  app_rss_peak_mb: number;
  results: ScenarioResult[];
  /** Scenarios offered twice their sustained throughput (`--overload`). */
  overload: OverloadResult[];
}

const ratio = (value: number, reference: number | undefined) =>
  reference ? Math.round((value / reference) * 100) / 100 : undefined;

/** Adds each result's throughput as a multiple of the minimal endpoint's and of hello's. */
export function withRatios(results: ScenarioResult[]): ScenarioResult[] {
  const hello = results.find((r) => r.target === 'hello')?.requests_per_s;
  const minimal = results.find((r) => r.target === 'minimal')?.requests_per_s;
  return results.map((r) => ({
    ...r,
    ratio_to_minimal: ratio(r.requests_per_s, minimal),
    ratio_to_hello: ratio(r.requests_per_s, hello),
  }));
}

export function markdownReport(report: BenchReport): string {
  const { settings, load } = report;
  const settingsDuration = settings.duration_s;
  const statuses = (r: ScenarioResult) => {
    const parts = Object.entries(r.non_2xx).map(([status, count]) => `${status}: ${count}`);
    if (r.errors) parts.push(`errors: ${r.errors}`);
    if (r.timeouts) parts.push(`timeouts: ${r.timeouts}`);
    // Each connection always has one request in flight when the time is up; none finished at all
    // means requests slower than the whole duration, not a fast server.
    if (r.requests === 0) parts.push(`none finished within ${settingsDuration} s`);
    return parts.join(', ') || '—';
  };
  const lines = [
    `# Benchmark at ${settings.places.toLocaleString('en')} synthetic places ` +
      `(${report.date.slice(0, 16).replace('T', ' ')} UTC)`,
    '',
    `${load.places_total.toLocaleString('en')} places in the database ` +
      `(real seeds + synthetic, seed ${settings.seed}). ` +
      `${settings.connections} connections, ` +
      `${settings.warmup_s} s warm-up then ${settings.duration_s} s per scenario, ` +
      `${report.machine.cpus} cores (${report.machine.model ?? '?'}), Node ${report.machine.node}, ` +
      'load generator on the same machine.',
    `Application: \`${settings.server_command}\`, NODE_ENV=production.`,
    '',
    '| scenario | req/s | p50 ms | p99 ms | non-2xx / errors | × minimal | × hello | RSS peak MB |',
    '|---|---:|---:|---:|---|---:|---:|---:|',
    ...report.results.map(
      (r) =>
        `| ${r.name} | ${r.requests_per_s} | ${r.p50_ms} | ${r.p99_ms} | ${statuses(r)} ` +
        `| ${r.ratio_to_minimal ?? '—'} | ${r.ratio_to_hello ?? '—'} | ${r.rss_peak_mb} |`,
    ),
    '',
    `Application RSS: ${report.app_rss_at_rest_mb} MB at rest, ${report.app_rss_peak_mb} MB at most under load. ` +
      `Start-up to the first answer (in-memory index load included): ${report.app_startup_ms} ms.`,
    '',
    // A database kept from an earlier run (BENCH_DATABASE_URL) already holds the places: nothing to time.
    load.load.read === 0
      ? 'Bulk load: none in this run (the places were already in the database; `npm run bench:load` times it).'
      : `Bulk load of ${load.load.read.toLocaleString('en')} places: COPY into staging ${load.copy_ms} ms, ` +
        `INSERT … SELECT into places + place_labels ${load.insert_ms} ms ` +
        `(${Math.round(load.load.read / ((load.copy_ms + load.insert_ms) / 1000))} places/s), ` +
        `ANALYZE ${load.analyze_ms} ms; ` +
        `${load.load.labelsLinked.toLocaleString('en')} label links. Real seeds first: ${load.seed_ms} ms.`,
    '',
    overloadMarkdown(report.overload),
  ];
  return lines.join('\n');
}
