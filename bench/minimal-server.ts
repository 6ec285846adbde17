/**
 * The reference the issue measures the application against: Express 5 + pg, nearest 20 published
 * places by the GiST earthdistance index (ordering by exactly the indexed expression), a few columns,
 * nothing else — no validation, no middleware, no view. Same database, same run as the application.
 * Started by bench/run.ts with PORT and DATABASE_URL set.
 */
import express from 'express';
import pg from 'pg';

const port = Number(process.env.PORT ?? 3101);
// The same pool size as the application's Knex pool (server/db/knex.ts), to compare like with like.
const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 10 });

const NEAREST = `
  SELECT id, nom, commune, code_postal, latitude, longitude
  FROM places
  WHERE status = 'published' AND latitude IS NOT NULL
  ORDER BY ll_to_earth(latitude, longitude) <-> ll_to_earth($1, $2)
  LIMIT 20`;

const app = express();
app.disable('x-powered-by');
app.get('/nearest', async (req, res) => {
  const lat = Number(req.query.lat);
  const lon = Number(req.query.lon);
  if (!Number.isFinite(lat) || !Number.isFinite(lon)) {
    res.status(400).json({ error: 'lat et lon attendus' });
    return;
  }
  const { rows } = await pool.query({ name: 'nearest', text: NEAREST, values: [lat, lon] });
  res.json({ items: rows });
});
app.listen(port, '127.0.0.1');
