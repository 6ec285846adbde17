import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { createFileImporter } from '../../../server/opendata/import/import-file.service.js';
import { createTestContext } from '../../support/context.js';
import { makePlace } from '../../support/factories.js';

/**
 * Only http(s) addresses are stored by the import, and only they are ever rendered as links: data
 * written before the rule (or straight into the database) with another scheme shows as text at most.
 */
describe('web addresses: http(s) only, in imports and on pages', () => {
  const { app, db, clock } = createTestContext();

  const whenImported =
    'when an imported row has URL fields with other schemes, then the row is kept ' +
    'and each value set aside with its reason';
  it(whenImported, async () => {
    const unique = Date.now().toString(36);
    const csv =
      'id,nom,adresse,code_postal,commune,site_web,prise_rdv,fiche_acces_libre\n' +
      `url-${unique},Lieu ${unique},1 rue des Liens,13500,Martigues,` +
      `"https://exemple.fr|ftp://exemple.fr/f",javascript:alert(1),"data:text/html;base64,PHNjcmlwdD4="\n`;
    const report = await createFileImporter({ db, clock }).importFile(Buffer.from(csv), {
      fileName: 'liens.csv',
      source: `test-liens-${unique}`,
    });
    expect(report).toMatchObject({ read: 1, created: 1, rejected: 0 });
    const reasons = report.setAside.map((issue) => [issue.field, issue.value, issue.rule]);
    expect(reasons).toEqual(
      expect.arrayContaining([
        [
          'site_web',
          'ftp://exemple.fr/f',
          'Site web : adresse web invalide (elle doit commencer par http:// ou https://).',
        ],
        [
          'prise_rdv',
          'javascript:alert(1)',
          'Lien de prise de rendez-vous : adresse web invalide (elle doit commencer par http:// ou https://).',
        ],
        [
          'fiche_acces_libre',
          'data:text/html;base64,PHNjcmlwdD4=',
          'Fiche Acceslibre : adresse web invalide (elle doit commencer par http:// ou https://).',
        ],
      ]),
    );
    const row = await db('places')
      .where({ source_id: `url-${unique}` })
      .first();
    expect(row).toMatchObject({ site_web: ['https://exemple.fr'], prise_rdv: null, fiche_acces_libre: null });
  });

  it('when a place already holds addresses of other schemes, then its page shows none of them as a link', async () => {
    const hostile = [
      'javascript:alert(1)',
      'data:text/html,<script>alert(1)</script>',
      'vbscript:msgbox(1)',
      'file:///etc/passwd',
    ];
    const place = await makePlace(db, {
      siteWeb: [...hostile, 'https://exemple.fr/ok'],
      priseRdv: 'data:text/html,rdv',
      ficheAccesLibre: 'vbscript:fiche',
    });
    const res = await request(app).get(`/lieux/${place.id}`).redirects(1);
    expect(res.status).toBe(200);
    const urlAttributes = /\b(?:href|src|action|formaction)\s*=\s*"([^"]*)"/gi;
    const hrefs = [...res.text.matchAll(urlAttributes)].map((m) => m[1].trim());
    expect(hrefs).toContain('https://exemple.fr/ok');
    for (const href of hrefs) expect(href).not.toMatch(/^(javascript|data|vbscript|file):/i);
  });
});
