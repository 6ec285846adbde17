import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { createTestContext } from '../../support/context.js';
import { makePlace, randomSpot } from '../../support/factories.js';

describe('GET /api/v1/places/:id', () => {
  const { app, db } = createTestContext();

  it('when a place exists, then its record comes in the standard’s field names, with labels and its page', async () => {
    const place = await makePlace(db, {
      at: randomSpot(),
      nom: 'Médiathèque Louis Aragon',
      telephone: '+33442000000',
      courriels: ['epn@example.fr'],
      services: ['Aide aux démarches administratives'],
      horaires: 'Mo-Fr 09:00-12:00',
      labels: ['france-services', 'netpublic'],
    });
    const res = await request(app).get(`/api/v1/places/${place.id}`);
    expect(res.status).toBe(200);
    const standardFields = [
      'id',
      'pivot',
      'nom',
      'commune',
      'code_postal',
      'code_insee',
      'adresse',
      'complement_adresse',
      'latitude',
      'longitude',
      'typologie',
      'telephone',
      'courriels',
      'site_web',
      'horaires',
      'presentation_resume',
      'presentation_detail',
      'source',
      'itinerance',
      'structure_parente',
      'date_maj',
      'services',
      'publics_specifiquement_adresses',
      'prise_en_charge_specifique',
      'frais_a_charge',
      'dispositif_programmes_nationaux',
      'formations_labels',
      'autres_formations_labels',
      'modalites_acces',
      'modalites_accompagnement',
      'fiche_acces_libre',
      'prise_rdv',
    ];
    expect(standardFields).toHaveLength(32);
    for (const field of standardFields) expect(res.body).toHaveProperty(field);
    expect(res.body).toMatchObject({
      id: place.id,
      source_id: place.sourceId,
      nom: 'Médiathèque Louis Aragon',
      courriels: ['epn@example.fr'],
      dispositif_programmes_nationaux: ['France Services'],
      url: `http://epn.test/lieux/${place.id}-mediatheque-louis-aragon`,
      verified_at: null,
    });
    expect(res.body.labels.map((l: { slug: string }) => l.slug).sort()).toEqual(['france-services', 'netpublic']);
    expect(res.body.labels.find((l: { slug: string }) => l.slug === 'netpublic').name).toBe('NetPublic');
    expect(Date.parse(res.body.updated_at)).not.toBeNaN();
  });
});

describe('labels API', () => {
  const { app, db } = createTestContext();

  const whenListingLabels =
    'when listing labels, then NetPublic, Cyber-base and the standard’s dispositifs are there with their kind';
  it(whenListingLabels, async () => {
    const res = await request(app).get('/api/v1/labels');
    expect(res.status).toBe(200);
    const bySlug = Object.fromEntries(res.body.items.map((l: { slug: string }) => [l.slug, l]));
    expect(bySlug.netpublic).toMatchObject({ name: 'NetPublic', kind: 'label_historique' });
    expect(bySlug['cyber-base']).toMatchObject({ name: 'Cyber-base', kind: 'label_historique' });
    expect(bySlug['conseillers-numeriques']).toMatchObject({
      kind: 'programme_national',
      standard_value: 'Conseillers numériques',
    });
    expect(bySlug['etapes-numeriques-la-poste']).toMatchObject({ kind: 'formation_label' });
  });

  it('when opening a label, then its places come with it', async () => {
    const place = await makePlace(db, { at: randomSpot(), labels: ['cyber-base'] });
    const res = await request(app).get('/api/v1/labels/cyber-base').query({ limit: 100 });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ slug: 'cyber-base', url: 'http://epn.test/labels/cyber-base' });
    let ids = res.body.places.items.map((p: { id: number }) => p.id);
    let cursor = res.body.places.next_cursor;
    while (cursor && !ids.includes(place.id)) {
      const next = await request(app).get('/api/v1/labels/cyber-base').query({ limit: 100, cursor });
      ids = next.body.places.items.map((p: { id: number }) => p.id);
      cursor = next.body.places.next_cursor;
    }
    expect(ids).toContain(place.id);
  });
});

describe('OpenAPI document and API page', () => {
  const { app } = createTestContext();

  const whenFetchingOpenapiJson =
    'when fetching openapi.json, then it is OpenAPI 3.1 with every route and its parameters from the zod schemas';
  it(whenFetchingOpenapiJson, async () => {
    const res = await request(app).get('/api/v1/openapi.json');
    expect(res.status).toBe(200);
    expect(res.body.openapi).toBe('3.1.0');
    expect(Object.keys(res.body.paths)).toEqual(
      expect.arrayContaining([
        '/places',
        '/places/{id}',
        '/labels',
        '/labels/{slug}',
        '/communes',
        '/articles',
        '/articles/{slug}',
      ]),
    );
    const params = Object.fromEntries(
      res.body.paths['/places'].get.parameters.map((p: { name: string }) => [p.name, p]),
    );
    expect(Object.keys(params)).toEqual(
      expect.arrayContaining([
        'lat',
        'lon',
        'radius_km',
        'bbox',
        'q',
        'commune',
        'code_postal',
        'services',
        'publics',
        'prise_en_charge',
        'frais',
        'modalites_acces',
        'modalites_accompagnement',
        'labels',
        'open_now',
        'open_at',
        'limit',
        'cursor',
      ]),
    );
    expect(params.limit.schema).toMatchObject({ type: 'integer', minimum: 1, maximum: 100, default: 20 });
    expect(params.services.schema.items.enum).toContain('Aide aux démarches administratives');
    expect(res.body.paths['/places'].get.responses['400'].content['application/problem+json']).toBeDefined();
  });

  it('when a person opens /api, then a readable page lists the routes and parameters', async () => {
    const res = await request(app).get('/api');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toContain('text/html');
    expect(res.text).toContain('GET /places');
    expect(res.text).toContain('radius_km');
  });
});
