/**
 * Keeps an embedded PostgreSQL running on a folder until interrupted, so that several benchmark
 * runs share one large database: `tsx bench/serve-database.ts <folder> <port>`, then
 * `BENCH_DATABASE_URL=postgres://postgres:epn-local-only@127.0.0.1:<port>/epn_bench npm run bench`.
 */
import { chmod, mkdir } from 'node:fs/promises';
import path from 'node:path';
import { startEmbeddedPostgres } from '../server/db/embedded.js';

async function main() {
  const [folder, port] = process.argv.slice(2);
  if (!folder || !port) throw new Error('usage : tsx bench/serve-database.ts <dossier> <port>');
  const directory = path.resolve(folder);
  await mkdir(directory, { recursive: true });
  await chmod(directory, 0o755);
  const embedded = await startEmbeddedPostgres({
    directory: path.join(directory, 'pg'),
    port: Number(port),
    databaseName: 'epn_bench',
  });
  console.log(embedded.connectionString);
  const stop = () => {
    void embedded.stop().then(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  setInterval(() => {}, 1 << 30);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
