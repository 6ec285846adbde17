/**
 * Issue 10's overload check: a scenario offered twice the throughput it sustained in this run, at a
 * fixed rate (autocannon's `overallRate`, four times the usual connections so that slow answers do
 * not slow the offer), then what came back: answers by status, and the latency of the served (2xx)
 * answers alone, from each answer's own time (a 503 sent at once would otherwise hide a slow 200).
 */
import autocannon from 'autocannon';
import type { RunningServer } from './processes.js';
import type { Scenario } from './scenarios.js';

export interface OverloadResult {
  name: string;
  sustained_rps: number;
  offered_rps: number;
  /** 2xx answers per second. */
  served_rps: number;
  /** Answers by HTTP status, e.g. { "200": 9000, "503": 4000 }. */
  statuses: Partial<Record<string, number>>;
  /** Connection errors and timeouts (no HTTP answer at all). */
  errors: number;
  served_p50_ms: number;
  served_p99_ms: number;
}

const percentile = (sorted: number[], share: number) =>
  sorted.length === 0 ? 0 : sorted[Math.min(sorted.length - 1, Math.floor(share * sorted.length))];

export async function measureOverload(
  server: RunningServer,
  scenario: Scenario,
  sustainedRps: number,
  settings: { connections: number; duration: number },
): Promise<OverloadResult> {
  const offered = Math.max(1, Math.round(2 * sustainedRps));
  let next = 0;
  const served: number[] = [];
  const statuses: Partial<Record<string, number>> = {};
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon(
      {
        url: server.url,
        connections: 4 * settings.connections,
        overallRate: offered,
        duration: settings.duration,
        timeout: 10,
        headers: scenario.headers,
        requests: [
          { setupRequest: (request) => ({ ...request, path: scenario.paths[next++ % scenario.paths.length] }) },
        ],
      },
      (error: Error | null, done: autocannon.Result) => (error ? reject(error) : resolve(done)),
    );
    instance.on('response', (_client, statusCode, _bytes, responseTimeMs) => {
      statuses[statusCode] = (statuses[statusCode] ?? 0) + 1;
      if (statusCode >= 200 && statusCode < 300) served.push(responseTimeMs);
    });
  });
  served.sort((a, b) => a - b);
  return {
    name: scenario.name,
    sustained_rps: sustainedRps,
    offered_rps: offered,
    served_rps: Math.round((served.length / settings.duration) * 10) / 10,
    statuses,
    errors: result.errors + result.timeouts,
    served_p50_ms: Math.round(percentile(served, 0.5)),
    served_p99_ms: Math.round(percentile(served, 0.99)),
  };
}

/** The Markdown section of the results. */
export function overloadMarkdown(results: OverloadResult[]): string {
  if (results.length === 0) return '';
  const rows = results.map((r) => {
    const statuses = Object.entries(r.statuses)
      .map(([status, count]) => `${status}: ${count ?? 0}`)
      .join(', ');
    return (
      `| ${r.name} | ${r.sustained_rps} | ${r.offered_rps} | ${r.served_rps} | ${statuses}` +
      `${r.errors ? `, errors: ${r.errors}` : ''} | ${r.served_p50_ms} | ${r.served_p99_ms} |`
    );
  });
  return [
    '## Overload: twice the sustained throughput, offered at a fixed rate',
    '',
    '| scenario | sustained req/s | offered req/s | served (2xx) req/s | answers by status ' +
      '| served p50 ms | served p99 ms |',
    '|---|---:|---:|---:|---|---:|---:|',
    ...rows,
    '',
  ].join('\n');
}
