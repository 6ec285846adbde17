import { spawn, type ChildProcess } from 'node:child_process';
import { readdir, readFile, readlink } from 'node:fs/promises';
import net from 'node:net';

/**
 * The compiled server (`node dist/server/main.js`) in a child process, for tests of what only a
 * real process shows: signals, outages, several instances. The caller builds first (`npm run build`)
 * and stops what it started (`stopAll()` in an afterAll).
 */
export interface ServerProcess {
  child: ChildProcess;
  port: number;
  url: string;
  output(): string;
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<void>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

export const READY = /EPN Finder est prêt/;

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

const spawned = new Set<ChildProcess>();

/** SIGTERM to every server still running (each stops the embedded PostgreSQL it owns). */
export async function stopAll(): Promise<void> {
  for (const child of spawned) {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      await new Promise((resolve) => child.once('exit', resolve));
    }
  }
  spawned.clear();
}

export async function spawnServer(env: Record<string, string>, port?: number): Promise<ServerProcess> {
  const chosenPort = port ?? (await freePort());
  const inherited = { ...process.env };
  delete inherited.DATABASE_URL;
  delete inherited.PORT;
  const child = spawn(process.execPath, ['dist/server/main.js'], {
    env: {
      ...inherited,
      NODE_ENV: 'development',
      HOST: '127.0.0.1',
      PORT: String(chosenPort),
      SEED_ON_START: 'false',
      LOG_LEVEL: 'info',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  spawned.add(child);
  let text = '';
  const waiters = new Set<() => void>();
  const collect = (chunk: Buffer) => {
    text += chunk.toString('utf8');
    for (const check of waiters) check();
  };
  child.stdout.on('data', collect);
  child.stderr.on('data', collect);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal })),
  );
  const waitFor = (pattern: RegExp, timeoutMs = 60_000) =>
    new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`pas de ${String(pattern)} en ${timeoutMs} ms :\n${text}`)),
        timeoutMs,
      );
      const check = () => {
        if (!pattern.test(text)) return;
        clearTimeout(timer);
        waiters.delete(check);
        resolve();
      };
      waiters.add(check);
      void exited.then(() =>
        setTimeout(() => {
          if (!waiters.has(check)) return;
          clearTimeout(timer);
          reject(new Error(`sorti avant ${String(pattern)} :\n${text}`));
        }, 50),
      );
      check();
    });
  return { child, port: chosenPort, url: `http://127.0.0.1:${chosenPort}`, output: () => text, waitFor, exited };
}

export async function waitUntil(condition: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('condition jamais remplie');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/**
 * How many TCP connections to `port` the process `pid` has accepted (its own socket descriptors,
 * matched with the kernel's table): a request not yet accepted when the server stops listening is
 * refused, and is not "in flight".
 */
export async function acceptedConnections(pid: number, port: number): Promise<number> {
  const hexPort = port.toString(16).toUpperCase().padStart(4, '0');
  const inodes = new Set<string>();
  for (const table of ['tcp', 'tcp6']) {
    const text = await readFile(`/proc/${pid}/net/${table}`, 'utf8').catch(() => '');
    for (const line of text.split('\n').slice(1)) {
      const fields = line.trim().split(/\s+/);
      // local_address is "IP:PORT" in hex; state 01 is ESTABLISHED; the inode is the tenth field.
      if (fields.length > 9 && fields[1].endsWith(`:${hexPort}`) && fields[3] === '01') inodes.add(fields[9]);
    }
  }
  let count = 0;
  for (const fd of await readdir(`/proc/${pid}/fd`).catch(() => [] as string[])) {
    const target = await readlink(`/proc/${pid}/fd/${fd}`).catch(() => '');
    const inode = /^socket:\[(\d+)\]$/.exec(target)?.[1];
    if (inode && inodes.has(inode)) count++;
  }
  return count;
}

/** The postmaster and its backends: pausing only the postmaster would leave open connections working. */
export async function postgresProcesses(postmasterPid: number): Promise<number[]> {
  const pids = [postmasterPid];
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = await readFile(`/proc/${entry}/stat`, 'utf8').catch(() => '');
    // "pid (comm) state ppid …": comm may contain spaces, so read after its closing parenthesis.
    const parent = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    if (parent === postmasterPid) pids.push(Number(entry));
  }
  return pids;
}
