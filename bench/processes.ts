/**
 * The servers under test run as child processes (a server sharing the load generator's event loop
 * would measure neither): started with a command line, waited for until they answer, measured by
 * the resident memory of their process tree, stopped with SIGTERM.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import net from 'node:net';

export interface RunningServer {
  url: string;
  pid: number;
  /** Milliseconds from the spawn to the first answer of `readyPath` (for the application: the index load included). */
  startupMs: number;
  /** Resident memory in MB of the largest process of the tree (the server, not a wrapper such as npx). */
  rssMb(): number;
  stop(): Promise<void>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

function parentOf(pid: number): number | undefined {
  try {
    // /proc/<pid>/stat: "pid (comm) state ppid …"; comm may hold spaces, so read after the last ')'.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
  } catch {
    return undefined;
  }
}

function rssKb(pid: number): number {
  try {
    const match = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) : 0;
  } catch {
    return 0;
  }
}

function processTree(root: number): number[] {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync('/proc')) {
    const pid = Number(entry);
    if (!Number.isInteger(pid)) continue;
    const parent = parentOf(pid);
    if (parent !== undefined) children.set(parent, [...(children.get(parent) ?? []), pid]);
  }
  const tree: number[] = [];
  const queue = [root];
  while (queue.length) {
    const pid = queue.pop();
    if (pid === undefined) break;
    tree.push(pid);
    queue.push(...(children.get(pid) ?? []));
  }
  return tree;
}

async function waitUntilAnswering(
  url: string,
  child: ChildProcess,
  timeoutMs: number,
  output: () => string,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`Le serveur s’est arrêté (code ${child.exitCode}) :\n${output()}`);
    try {
      await fetch(url, { signal: AbortSignal.timeout(2000) });
      return;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
  throw new Error(`Le serveur ne répond pas sur ${url} après ${timeoutMs / 1000} s :\n${output()}`);
}

/** Starts `command` (split on spaces, no shell) with `env`, and waits until GET `readyPath` answers. */
export async function startServer(
  command: string,
  env: Record<string, string>,
  readyPath = '/',
): Promise<RunningServer> {
  const port = await freePort();
  const spawnedAt = performance.now();
  const [program, ...args] = command.split(/\s+/).filter(Boolean);
  const child = spawn(program, args, {
    env: { ...process.env, ...env, PORT: String(port) },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let output = '';
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-4000);
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  const url = `http://127.0.0.1:${port}`;
  await waitUntilAnswering(url + readyPath, child, 120_000, () => output);
  const startupMs = Math.round(performance.now() - spawnedAt);
  const pid = child.pid;
  if (pid === undefined) throw new Error(`${command} answered but has no process id`);
  return {
    url,
    pid,
    startupMs,
    rssMb: () => Math.round(Math.max(...processTree(pid).map(rssKb)) / 1024),
    stop: async () => {
      if (child.exitCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      // Its own process group (detached): a wrapper such as npx and the server it starts stop together.
      const signalGroup = (signal: NodeJS.Signals) => {
        try {
          process.kill(-pid, signal);
        } catch {
          // Already gone.
        }
      };
      signalGroup('SIGTERM');
      const timer = setTimeout(() => signalGroup('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** Samples `measure` every `everyMs` until stopped; returns the highest value seen. */
export function samplePeak(measure: () => number, everyMs = 250): { stop(): number } {
  let peak = measure();
  const timer = setInterval(() => {
    peak = Math.max(peak, measure());
  }, everyMs);
  return {
    stop() {
      clearInterval(timer);
      return Math.max(peak, measure());
    },
  };
}
