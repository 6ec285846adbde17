import request from 'supertest';
import { beforeAll, describe, expect, it } from 'vitest';
import { uniqueWord } from '../../support/communes.js';
import { createTestContext } from '../../support/context.js';
import { makeLabel, makePlace, randomSpot } from '../../support/factories.js';

describe('the label pages', () => {
  const { db, app } = createTestContext();
  let label: { slug: string; name: string };
  const names: string[] = [];

  beforeAll(async () => {
    label = await makeLabel(db, { name: `Label ${uniqueWord()}`, kind: 'programme_national' });
    await db('labels')
      .where({ slug: label.slug })
      .update({ issuer: 'L’État', history: 'Créé en 2020.', description: 'Un label pour essayer.' });
    for (let i = 0; i < 2; i++) names.push((await makePlace(db, { at: randomSpot(), labels: [label.slug] })).nom);
  });

  it('when a visitor opens the labels index, then labels are grouped by kind with their counts', async () => {
    const res = await request(app).get('/labels');
    expect(res.status).toBe(200);
    expect(res.text).toContain('<h2 id="groupe-programme_national">Programme national</h2>');
    expect(res.text).toMatch(
      new RegExp(`<a href="/labels/${label.slug}">${label.name}</a> <span class="count">— 2 lieux</span>`),
    );
  });

  it('when a visitor opens a label, then what it is, who awards it, its history and its places are there', async () => {
    const res = await request(app).get(`/labels/${label.slug}`);
    expect(res.status).toBe(200);
    expect(res.text).toContain(`<h1>${label.name}</h1>`);
    expect(res.text).toContain('L’État');
    expect(res.text).toContain('Créé en 2020.');
    for (const name of names) expect(res.text).toContain(name);
    expect(res.text).toContain('id="map-data"');
  });

  it('when a label has more places than a page, then "Lieux suivants" lists the rest', async () => {
    const big = await makeLabel(db, { name: `Label ${uniqueWord()}` });
    for (let i = 0; i < 53; i++) await makePlace(db, { at: randomSpot(), labels: [big.slug] });
    const first = await request(app).get(`/labels/${big.slug}`);
    expect(first.text.match(/class="place-card"/g)).toHaveLength(50);
    const next = /<a href="([^"]+)" rel="next">/
      .exec(first.text)![1]
      .replace(/&amp;/g, '&')
      .replace(/&#x3D;/g, '=');
    const second = await request(app).get(next);
    expect(second.text.match(/class="place-card"/g)).toHaveLength(3);
    expect((await request(app).get(`/labels/${big.slug}?page=abc`)).status).toBe(400);
  });

  it('when the label does not exist or its slug is malformed, then 404 (the API keeps its 400)', async () => {
    expect((await request(app).get('/labels/nexiste-pas-du-tout')).status).toBe(404);
    expect((await request(app).get('/labels/Pas_Bon')).status).toBe(404);
    expect((await request(app).get('/labels/NOPE')).status).toBe(404);
    expect((await request(app).get('/api/v1/labels/NOPE')).status).toBe(400);
  });
});
