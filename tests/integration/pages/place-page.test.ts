import request from 'supertest';
import { beforeAll, describe, expect, it } from 'vitest';
import { placePath } from '../../../server/places/places.mapping.js';
import { listReports } from '../../../server/reports/reports.repository.js';
import { placeView, phoneDisplay, weekTable } from '../../../server/places/place-page-view.js';
import { csrfFrom } from '../../support/forms.js';
import { createTestContext } from '../../support/context.js';
import { makeLabel, makePlace, randomSpot } from '../../support/factories.js';
import { uniqueWord } from '../../support/communes.js';

describe('the place page', () => {
  // 2026-12-01T10:00Z: Tuesday 11:00 in Paris.
  const { db, app } = createTestContext();
  let place: Awaited<ReturnType<typeof makePlace>>;
  let path = '';
  let label: { slug: string; name: string };

  beforeAll(async () => {
    label = await makeLabel(db, { name: `Label ${uniqueWord()}` });
    place = await makePlace(db, {
      nom: `Espace numérique ${uniqueWord()}`,
      at: randomSpot(),
      adresse: '3 place de la Mairie',
      codePostal: '13500',
      commune: 'Martigues',
      telephone: '+33442000000',
      courriels: ['epn@example.org'],
      siteWeb: ['https://epn.example.org/'],
      priseRdv: 'https://rdv.example.org/epn',
      horaires: 'Mo-Fr 09:00-12:00,14:00-17:00',
      services: ['Aide aux démarches administratives'],
      publicsSpecifiquementAdresses: ['Seniors'],
      modalitesAcces: ['Se présenter'],
      modalitesAccompagnement: ['Accompagnement individuel'],
      fraisACharge: ['Gratuit'],
      presentationDetail: 'On vous aide à faire vos démarches.',
      dateMaj: '2025-06-01',
      labels: [label.slug],
    });
    path = `/lieux/${place.id}-${place.nom
      .toLowerCase()
      .normalize('NFD')
      .replace(/[\u0300-\u036f]/g, '')
      .replace(/[^a-z0-9]+/g, '-')}`;
  });

  it('when a visitor opens a place, then everything needed to go there is on the page', async () => {
    const res = await request(app).get(path);
    expect(res.status).toBe(200);
    expect(res.text).toContain(`<h1 id="place-title">${place.nom}</h1>`);
    expect(res.text).toContain('3 place de la Mairie');
    expect(res.text).toContain('Itinéraire (OpenStreetMap)');
    expect(res.text).toMatch(/href="geo:-?\d/);
    expect(res.text).toContain('href="tel:+33442000000">04 42 00 00 00</a>');
    expect(res.text).toContain('href="mailto:epn@example.org"');
    expect(res.text).toContain('Prendre rendez-vous en ligne');
    expect(res.text).toContain('Ouvert · ferme à 12:00');
    expect(res.text).toMatch(
      /<tr class="today">\s*<th scope="row">Mardi 01\/12 <strong>\(aujourd’hui\)<\/strong><\/th>\s*<td>09:00 – 12:00, 14:00 – 17:00<\/td>/,
    );
    expect(res.text).toMatch(/Samedi 05\/12<\/th>\s*<td class="closed">Fermé<\/td>/);
    expect(res.text).toContain(`<a href="/labels/${label.slug}">${label.name}</a>`);
    expect(res.text).toContain('Mis à jour le 1 juin 2025');
    expect(res.text.match(/Mis à jour le/g)).toHaveLength(1);
    expect(res.text).toContain('Informations peut-être anciennes');
    expect(res.text).toContain('Signaler une erreur');
    expect(res.text).toContain('name="_csrf"');
    expect(res.text).toContain(`<link rel="canonical" href="http://epn.test${path}">`);
  });

  it('when the address has another slug or none, then it redirects to the right one', async () => {
    const res = await request(app).get(`/lieux/${place.id}-ancien-nom`);
    expect(res.status).toBe(301);
    expect(res.headers.location).toBe(path);
    expect((await request(app).get(`/lieux/${place.id}`)).headers.location).toBe(path);
  });

  it('when the place does not exist or is hidden, then 404 page in French', async () => {
    expect((await request(app).get('/lieux/999999999-rien')).status).toBe(404);
    const hidden = await makePlace(db, { status: 'hidden' });
    expect((await request(app).get(`/lieux/${hidden.id}`)).status).toBe(404);
    // A malformed address in a page URL is a page not found, like any other.
    for (const bad of ['/lieux/pas-un-nombre', '/lieux/abc', '/lieux/12_x']) {
      const res = await request(app).get(bad);
      expect({ bad, status: res.status }).toEqual({ bad, status: 404 });
      expect(res.text).toContain('<html');
    }
  });

  it('when a visitor reports an error, then it is stored for moderation and the listing does not change', async () => {
    const agent = request.agent(app);
    const csrf = await csrfFrom(agent, path);
    const res = await agent.post(`/lieux/${place.id}/signalement`).type('form').send({
      _csrf: csrf,
      category: 'horaires',
      message: 'Fermé le mercredi depuis septembre.',
      email: 'visiteur@example.org',
    });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe(`${path}?signalement=merci#signaler`);
    const reports = await listReports(db, { placeId: place.id });
    expect(reports).toHaveLength(1);
    expect(reports[0]).toMatchObject({
      category: 'horaires',
      message: 'Fermé le mercredi depuis septembre.',
      email: 'visiteur@example.org',
      status: 'new',
    });
    const after = await agent.get(res.headers.location);
    expect(after.text).toContain('Merci ! Votre signalement a bien été envoyé.');
    expect(after.text).toContain('09:00 – 12:00, 14:00 – 17:00');
  });

  it('when the report is incomplete, then the form comes back with messages next to the fields (400)', async () => {
    const agent = request.agent(app);
    const csrf = await csrfFrom(agent, path);
    const res = await agent
      .post(`/lieux/${place.id}/signalement`)
      .type('form')
      .send({ _csrf: csrf, message: 'ok', email: 'pas-un-email' });
    expect(res.status).toBe(400);
    expect(res.text).toContain('id="signalement-category-erreur"');
    expect(res.text).toContain('Choisissez ce qui ne va pas.');
    expect(res.text).toContain('au moins 5 caractères');
    expect(res.text).toContain('Adresse e-mail invalide');
    expect(res.text).toContain('value="pas-un-email"');
    expect(await listReports(db, { placeId: place.id, status: 'new' })).toHaveLength(1);
  });

  const whenReportSentErrors =
    'when the report is sent with errors, then the page comes back at the form (#signaler) with its error summary';
  it(whenReportSentErrors, async () => {
    const page = await request(app).get(path);
    expect(page.text).toContain(`action="/lieux/${place.id}/signalement#signaler"`);
    const agent = request.agent(app);
    const csrf = await csrfFrom(agent, path);
    const res = await agent.post(`/lieux/${place.id}/signalement`).type('form').send({ _csrf: csrf });
    expect(res.status).toBe(400);
    expect(res.text).toMatch(/id="signaler"[\s\S]*class="form-error-summary" role="alert" tabindex="-1"/);
  });

  it('when the team updated the place, then "Mis à jour le … par …" shows once, with no second date', async () => {
    const edited = await makePlace(db, { dateMaj: '2025-06-01' });
    await db('place_revisions').insert({
      place_id: edited.id,
      version: 2,
      author_role: 'mediator',
      kind: 'edit',
      created_at: new Date('2026-11-20T10:00:00Z'),
    });
    const res = await request(app).get(`/lieux/${edited.id}`).redirects(1);
    expect(res.text).toContain('par l’équipe du lieu');
    expect(res.text.match(/Mis à jour le/g)).toHaveLength(1);
  });

  it('when the position is only the commune centre, then the page says so and offers no route to it', async () => {
    const rough = await makePlace(db, {
      at: randomSpot(),
      adresse: '5 rue du Moulin',
      codePostal: '13500',
      commune: 'Martigues',
      locationPrecision: 'commune',
    });
    const res = await request(app).get(`/lieux/${rough.id}`).redirects(1);
    expect(res.text).toContain('Position approximative : centre de la commune');
    expect(res.text).not.toContain('openstreetmap.org/directions');
    expect(res.text).not.toContain('href="geo:');
    expect(res.text.replace(/&#x3D;/g, '=')).toContain(
      `href="https://www.openstreetmap.org/search?query=${encodeURIComponent('5 rue du Moulin, 13500 Martigues')}"`,
    );
    const data = JSON.parse(/<script type="application\/json" id="map-data">([^<]*)<\/script>/.exec(res.text)![1]);
    expect(data.markers[0].approximate).toBe(true);
    // An exact place keeps its route.
    expect((await request(app).get(path)).text).not.toContain('Position approximative');
  });

  it('when a report targets a place that does not exist, then 404', async () => {
    const agent = request.agent(app);
    const csrf = await csrfFrom(agent, path);
    const res = await agent
      .post('/lieux/999999999/signalement')
      .type('form')
      .send({ _csrf: csrf, category: 'autre', message: 'Bonjour bonjour' });
    expect(res.status).toBe(404);
  });
});

describe('place page pieces', () => {
  it('when a number is French, then it reads the French way', () => {
    expect(phoneDisplay('+33479885936')).toBe('04 79 88 59 36');
    expect(phoneDisplay('+262262000000')).toBe('+262262000000');
  });

  it('when the table of hours is built on a Saturday, then it shows the next 7 days, today first', () => {
    const saturday = new Date('2026-12-05T10:00:00Z');
    const week = weekTable('Mo-Fr 09:00-17:00', saturday)!;
    expect(week.map((d) => `${d.name} ${d.date}`)).toEqual([
      'Samedi 05/12',
      'Dimanche 06/12',
      'Lundi 07/12',
      'Mardi 08/12',
      'Mercredi 09/12',
      'Jeudi 10/12',
      'Vendredi 11/12',
    ]);
    expect(week.map((d) => d.today)).toEqual([true, false, false, false, false, false, false]);
    expect(week[2]).toMatchObject({ hours: '09:00 – 17:00', closed: false });
    expect(week[0]).toMatchObject({ hours: 'Fermé', closed: true });
    // Across the change to summer time and the end of a year.
    const newYear = weekTable('24/7', new Date('2026-12-29T23:30:00Z'))!;
    expect(newYear.map((d) => d.date)).toEqual(['30/12', '31/12', '01/01', '02/01', '03/01', '04/01', '05/01']);
  });

  it('when the hours are unknown or unreadable, then no table', () => {
    expect(weekTable(null, new Date())).toBeNull();
    expect(weekTable('nonsense ;;', new Date())).toBeNull();
  });

  it('when the place was verified recently, then no freshness warning', () => {
    const now = new Date('2026-12-01T10:00:00Z');
    const base = {
      latitude: null,
      longitude: null,
      complementAdresse: null,
      courriels: [],
      siteWeb: [],
      itinerance: [],
      autresFormationsLabels: [],
    };
    const view = placeView(
      { ...base, id: 1, nom: 'X', dateMaj: '2020-01-01', verifiedAt: new Date('2026-06-01T00:00:00Z') } as never,
      [],
      { open: null, nextChange: null },
      now,
    );
    expect(view.stale).toBe(false);
    expect(view.geoLink).toBeNull();
  });
});

describe('reports are rate limited per IP', () => {
  const { db, app } = createTestContext({ config: { RATE_LIMIT_REPORTS_PER_IP: '2' } });

  it('when one connection sends too many reports, then it is told to wait (429), nothing more stored', async () => {
    const place = await makePlace(db);
    const agent = request.agent(app);
    const csrf = await csrfFrom(agent, placePath(place));
    const send = () =>
      agent
        .post(`/lieux/${place.id}/signalement`)
        .type('form')
        .send({ _csrf: csrf, category: 'autre', message: 'Un message de test.' });
    expect((await send()).status).toBe(303);
    expect((await send()).status).toBe(303);
    const third = await send();
    expect(third.status).toBe(429);
    expect(third.text).toContain('Réessayez');
    expect(await listReports(db, { placeId: place.id })).toHaveLength(2);
  });
});
