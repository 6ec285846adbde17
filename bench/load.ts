/**
 * The bulk load alone, timed: `npm run bench:load -- --places 100000`.
 * A fresh embedded PostgreSQL (or BENCH_DATABASE_URL), the real seeds, then N generated places.
 */
import { openBenchDatabase, loadBenchPlaces } from './database.js';
import { benchOptions } from './options.js';

async function main() {
  const options = benchOptions(process.argv.slice(2), process.env);
  const database = await openBenchDatabase(options.databaseUrl, console.log);
  try {
    const timings = await loadBenchPlaces(database.db, options.places, options.seed, console.log);
    const seconds = (timings.copy_ms + timings.insert_ms) / 1000;
    console.log(JSON.stringify(timings, null, 2));
    console.log(
      `${options.places} lieux en ${seconds.toFixed(1)} s, soit ${Math.round(options.places / seconds)} lieux/s.`,
    );
  } finally {
    await database.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
