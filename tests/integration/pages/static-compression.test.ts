import { readFileSync } from 'node:fs';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { createTestContext } from '../../support/context.js';

// `npm test` builds the client (and its .br/.gz twins) first.
describe('static files travel compressed', () => {
  const { app } = createTestContext();
  const original = readFileSync('public/build/search.js');

  it('when the browser accepts brotli, then the search script comes compressed and decodes to the file', async () => {
    const res = await request(app)
      .get('/static/build/search.js')
      .set('Accept-Encoding', 'gzip, deflate, br')
      .buffer(true)
      .parse((r, done) => {
        const chunks: Buffer[] = [];
        r.on('data', (c: Buffer) => chunks.push(c));
        r.on('end', () => done(null, Buffer.concat(chunks)));
      });
    expect(res.status).toBe(200);
    expect(res.headers['content-encoding']).toBe('br');
    expect(res.headers['content-type']).toContain('javascript');
    expect(res.headers.vary).toContain('Accept-Encoding');
    expect(Number(res.headers['content-length'])).toBeLessThan(original.length / 2);
    const body = res.body as Buffer; // superagent may already have decoded it
    expect((body.equals(original) ? body : brotliDecompressSync(body)).equals(original)).toBe(true);
  });

  it('when the browser accepts only gzip, then gzip; when nothing, then the plain file', async () => {
    const gz = await request(app).get('/static/build/search.css').set('Accept-Encoding', 'gzip');
    expect(gz.headers['content-encoding']).toBe('gzip');
    const plain = await request(app).get('/static/build/search.css').set('Accept-Encoding', 'identity');
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.text).toBe(readFileSync('public/build/search.css', 'utf8'));
    expect(gunzipSync(readFileSync('public/build/search.css.gz')).toString()).toBe(plain.text);
  });

  it('when a path tries to leave the public folder, then it is not served', async () => {
    const res = await request(app).get('/static/..%2f..%2fpackage.json').set('Accept-Encoding', 'br');
    expect(res.status).not.toBe(200);
  });
});
