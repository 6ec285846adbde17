import type { Agent } from 'supertest';
import { beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, fixedClock } from '../../support/context.js';
import { csrfFrom } from '../../support/forms.js';
import { anonymousAgent, createUser, loginAs, postForm } from '../../support/session.js';
import { franceServicesLikeCsv, standardCsv } from '../../support/upload-files.js';

const clock = fixedClock('2026-12-01T10:00:00Z');
const { app, db } = createTestContext({ clock });

let moderator: Agent;
let mediator: Agent;
let uniq = 0;
const stamp = () => `${Date.now().toString(36)}${(uniq += 1)}`;

/** Sends a file through the upload form as a browser does; returns the response. */
async function upload(agent: Agent, bytes: Buffer, fileName = 'lieux.csv') {
  const token = await csrfFrom(agent, '/moderation/import');
  return agent.post('/moderation/import').field('_csrf', token).attach('fichier', bytes, fileName);
}

/** Uploads and follows to the file's page; returns its id and the page. */
async function uploaded(bytes: Buffer, fileName?: string) {
  const res = await upload(moderator, bytes, fileName);
  expect(res.status, res.text.slice(0, 300)).toBe(303);
  const id = /\/moderation\/import\/([0-9a-f-]{36})$/.exec(res.headers.location)?.[1];
  expect(id).toBeDefined();
  const page = await moderator.get(res.headers.location);
  expect(page.status, page.text.slice(0, 500)).toBe(200);
  return { id: id!, page };
}

const unescape = (html: string) =>
  html
    .replace(/&#x27;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, '&')
    .replace(/&#x3D;/g, '=');

beforeAll(async () => {
  moderator = await loginAs(app, await createUser(db, { role: 'moderator' }));
  mediator = await loginAs(app, await createUser(db, { role: 'mediator' }));
});

describe('the moderators’ upload page', () => {
  const uploadAndPreview =
    'when a moderator uploads a standard CSV, then the page names its format and encoding ' +
    'and previews its rows, writing nothing';
  it(uploadAndPreview, async () => {
    const s = stamp();
    const { id, page } = await uploaded(standardCsv(s, { rejected: true }));
    expect(page.text).toContain('standard « Lieux de médiation numérique » v1');
    expect(page.text).toContain('UTF-8');
    expect(page.text).toContain(`Espace Zqup ${s}`);
    expect(page.text).toContain('Serait créé');
    expect(page.text).toMatch(/Rejet — code_postal/);
    // The phone written with dots is shown as the standard writes it (a repair), nothing is stored yet.
    expect(
      await db('places')
        .where({ source: `upload-${s}` })
        .count('* as n')
        .first(),
    ).toEqual({ n: 0 });
    const stored = await db('import_uploads').where({ id }).first();
    expect(stored.file_name).toBe('lieux.csv');
    expect(stored.report).toBeNull();
  });

  const importAndReport =
    'when a moderator clicks "Importer", then the pipeline runs and the report counts every row, ' +
    'with the rejection table';
  it(importAndReport, async () => {
    const s = stamp();
    const { id } = await uploaded(standardCsv(s, { rejected: true }));
    const res = await postForm(moderator, `/moderation/import/${id}/importer`, { encodage: '' });
    expect(res.status, res.text.slice(0, 300)).toBe(303);
    expect(res.headers.location).toBe(`/moderation/import/${id}/rapport`);
    const report = await moderator.get(res.headers.location);
    expect(report.status).toBe(200);
    expect(report.text).toMatch(/id="compte-lues">3</);
    expect(report.text).toMatch(/id="compte-creees">2</);
    expect(report.text).toMatch(/id="compte-rejetees">1</);
    expect(report.text).toContain('<td>code_postal</td>');
    const places = await db('places')
      .where({ source: `upload-${s}` })
      .orderBy('source_id');
    expect(places.map((p: { nom: string }) => p.nom)).toEqual([`Espace Zqup ${s}`, `Atelier Zqup ${s}`]);

    // Importing the same file again changes nothing (the command's idempotence, through the page).
    const again = await uploaded(standardCsv(s, { rejected: true }));
    await postForm(moderator, `/moderation/import/${again.id}/importer`, {});
    const second = await moderator.get(`/moderation/import/${again.id}/rapport`);
    expect(second.text).toMatch(/id="compte-inchangees">2</);
    expect(second.text).toMatch(/id="compte-creees">0</);
  });

  it('when the file is in Windows-1252, then the page says so and the preview has no mojibake', async () => {
    const s = stamp();
    const text =
      'id;nom;commune;code_postal;adresse;latitude;longitude;source\n' +
      `w-${s};Cybercentre de l'Élysée ${s};Orléans;45000;1 rue;47,9;1,9;w-${s}\n`;
    const latin1 = Buffer.from(text, 'latin1');
    const { page: read } = await uploaded(latin1, 'latin1.csv');
    expect(read.text).toContain('Windows-1252 (Latin-1)');
    expect(unescape(read.text)).toContain(`Cybercentre de l'Élysée ${s}`);
  });

  const unknownFormat =
    'when the format is unknown, then the mapping form is prefilled by the guesses and names the missing field';
  it(unknownFormat, async () => {
    const s = stamp();
    const { page } = await uploaded(franceServicesLikeCsv(s), 'france-services-local.csv');
    expect(page.text).toContain('inconnu : indiquez ci-dessous la colonne de chaque champ');
    // Guessed: commune from lib_com, courriels from mail, hours from the day columns.
    expect(page.text).toMatch(/<select id="colonne_commune"[^>]*>[\s\S]*?<option value="lib_com" selected>/);
    expect(page.text).toMatch(/<select id="colonne_courriels"[^>]*>[\s\S]*?<option value="mail" selected>/);
    expect(page.text).toMatch(/<select id="transformation_horaires"[^>]*>[\s\S]*?<option value="horaires" selected>/);
    // Nothing is named "nom": the form says which field, next to it, and nothing is previewed.
    expect(page.text).toContain('nom : champ obligatoire, choisissez la colonne qui le contient.');
    expect(page.text).toContain('id="colonne_nom-error"');
    expect(page.text).not.toContain('Aperçu des premières lignes');
  });

  const mapSaveImport =
    'when a moderator maps the unknown column, previews, saves the mapping and imports, ' +
    'then the places are created with their hours';
  it(mapSaveImport, async () => {
    const s = stamp();
    const { id } = await uploaded(franceServicesLikeCsv(s), 'france-services-local.csv');
    const mapping = {
      colonne_id: 'id_fs',
      colonne_nom: 'Nom de la structure',
      colonne_adresse: 'adresse',
      colonne_code_postal: 'code_postal',
      colonne_commune: 'lib_com',
      colonne_latitude: 'latitude',
      colonne_longitude: 'longitude',
      colonne_courriels: 'mail',
      colonne_telephone: 'telephone',
      transformation_horaires: 'horaires',
      avec_correspondance: '1',
      source: `fsup-${s}`,
    };
    const preview = await postForm(moderator, `/moderation/import/${id}/apercu`, mapping);
    expect(preview.status, preview.text.slice(0, 500)).toBe(200);
    expect(preview.text).toContain('Aperçu des premières lignes');
    expect(preview.text).toContain(`France services Zqfsup ${s} 1`);
    expect(preview.text).toContain('Mo 09:00-12:00,13:30-17:00');
    expect(preview.text).toContain('format local, lu avec le fichier de correspondance');

    const name = `France Services local ${s}`;
    const saved = await postForm(moderator, `/moderation/import/${id}/correspondance`, {
      ...mapping,
      nom_correspondance: name,
    });
    expect(saved.status, saved.text.slice(0, 300)).toBe(303);
    expect(saved.headers.location).toContain(`correspondance=${encodeURIComponent(name).replace(/%20/g, '+')}`);
    const row = await db('import_mappings').where({ name }).first();
    expect(row.mapping.fields.nom).toBe('Nom de la structure');

    // Reused by name on the next file of the same shape: the form comes back filled in, with its preview.
    const next = await uploaded(franceServicesLikeCsv(`${s}b`), 'autre.csv');
    const reused = await moderator.get(`/moderation/import/${next.id}?correspondance=${encodeURIComponent(name)}`);
    expect(reused.status).toBe(200);
    expect(reused.text).toMatch(/<select id="colonne_nom"[^>]*>[\s\S]*?<option value="Nom de la structure" selected>/);
    expect(reused.text).toContain('Aperçu des premières lignes');

    const done = await postForm(moderator, `/moderation/import/${id}/importer`, mapping);
    expect(done.status, done.text.slice(0, 500)).toBe(303);
    const report = await moderator.get(done.headers.location);
    expect(report.text).toMatch(/id="compte-creees">2</);
    const places = await db('places')
      .where({ source: `fsup-${s}` })
      .orderBy('source_id');
    expect(places).toHaveLength(2);
    expect(places[0].horaires).toContain('Mo 09:00-12:00,13:30-17:00');
  });

  it('when a mapping names a column the file does not have, then 400 with the field named', async () => {
    const s = stamp();
    const { id } = await uploaded(franceServicesLikeCsv(s));
    const res = await postForm(moderator, `/moderation/import/${id}/apercu`, {
      colonne_nom: 'Nom inventé',
      colonne_adresse: 'adresse',
      colonne_code_postal: 'code_postal',
      colonne_commune: 'lib_com',
      avec_correspondance: '1',
    });
    expect(res.status).toBe(400);
    expect(unescape(res.text)).toContain('nom : la colonne « Nom inventé » n’est pas dans le fichier.');
    expect(res.text).toContain('href="#colonne_nom"');
  });

  it('when no file is chosen, then 400 and the message names the file field', async () => {
    const token = await csrfFrom(moderator, '/moderation/import');
    const res = await moderator.post('/moderation/import').field('_csrf', token);
    expect(res.status).toBe(400);
    expect(unescape(res.text)).toContain('Fichier : choisissez un fichier CSV ou JSON à envoyer.');
    expect(res.text).toContain('href="#fichier"');
  });

  it('when the file is larger than the limit, then 413 with a French message', async () => {
    const token = await csrfFrom(moderator, '/moderation/import');
    const big = Buffer.alloc(21 * 1024 * 1024, 0x61);
    const res = await moderator.post('/moderation/import').field('_csrf', token).attach('fichier', big, 'gros.csv');
    expect(res.status).toBe(413);
    expect(unescape(res.text)).toContain('Le fichier est trop volumineux : 20 Mo au plus.');
  });

  it('when an upload is older than a day, then the next upload prunes it', async () => {
    // Made a day and a second ago (moving the clock would also end the moderator's session).
    const [old] = await db('import_uploads')
      .insert({
        file_name: 'ancien.csv',
        bytes: standardCsv(stamp()),
        size_bytes: 1,
        uploaded_at: new Date(clock.now().getTime() - 24 * 3600_000 - 1000),
      })
      .returning('id');
    await uploaded(standardCsv(stamp()));
    expect(await db('import_uploads').where({ id: old.id }).first()).toBeUndefined();
    expect((await moderator.get(`/moderation/import/${old.id}`)).status).toBe(404);
  });
});

describe('who may use the upload page', () => {
  const roles =
    'when a mediator opens or posts to it, then 403; an anonymous visitor is sent to sign in (page) ' +
    'or gets 401 (post)';
  it(roles, async () => {
    expect((await mediator.get('/moderation/import')).status).toBe(403);
    const before = Number((await db('import_uploads').count('* as n').first())!.n);
    const posted = await upload(mediator, standardCsv(stamp()));
    expect(posted.status).toBe(403);
    const anonymous = anonymousAgent(app);
    const page = await anonymous.get('/moderation/import');
    expect(page.status).toBe(302);
    expect(page.headers.location).toContain('/connexion');
    const anonymousPost = await anonymous.post('/moderation/import').attach('fichier', standardCsv(stamp()), 'a.csv');
    expect(anonymousPost.status).toBe(401);
    expect(Number((await db('import_uploads').count('* as n').first())!.n)).toBe(before);
  });

  it('when the upload form is posted without its CSRF token, then 403 and nothing is stored', async () => {
    const before = Number((await db('import_uploads').count('* as n').first())!.n);
    const res = await moderator.post('/moderation/import').attach('fichier', standardCsv(stamp()), 'a.csv');
    expect(res.status).toBe(403);
    expect(Number((await db('import_uploads').count('* as n').first())!.n)).toBe(before);
  });

  it('when a file is posted to another route, then it is still refused with 415', async () => {
    const token = await csrfFrom(moderator, '/moderation/import');
    const res = await moderator
      .post('/moderation/import/00000000-0000-4000-8000-000000000000/importer')
      .field('_csrf', token)
      .attach('fichier', standardCsv(stamp()), 'a.csv');
    expect(res.status).toBe(415);
  });
});
