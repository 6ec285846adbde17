/**
 * The framework's ceiling: Express 5 answering a constant, nothing else. Every other result of the
 * benchmark is read against this one. Started by bench/run.ts with PORT set.
 */
import express from 'express';

const port = Number(process.env.PORT ?? 3100);
const app = express();
app.disable('x-powered-by');
app.get('/', (_req, res) => {
  res.json({ hello: 'world' });
});
app.listen(port, '127.0.0.1');
