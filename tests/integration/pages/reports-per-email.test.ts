import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { placePath } from '../../../server/places/places.mapping.js';
import { REPORTS_PER_EMAIL } from '../../../server/reports/reports.limits.js';
import { listReports } from '../../../server/reports/reports.repository.js';
import { createTestContext } from '../../support/context.js';
import { makePlace } from '../../support/factories.js';
import { csrfFrom } from '../../support/forms.js';

describe('reports are rate limited per e-mail address too', () => {
  // The per-IP limit is out of the way (100000): only the address counts here.
  const { db, app } = createTestContext();

  const whenAddressSendsTooMany =
    'when one address sends too many reports, even from several connections, ' +
    'then it is told to wait (429); other reports still go through';
  it(whenAddressSendsTooMany, async () => {
    const place = await makePlace(db);
    const email = `Visiteur-${Date.now()}@Exemple.fr`;
    const sendFrom = async (body: Record<string, string>) => {
      const agent = request.agent(app);
      const csrf = await csrfFrom(agent, placePath(place));
      return agent
        .post(`/lieux/${place.id}/signalement`)
        .type('form')
        .send({ _csrf: csrf, category: 'autre', message: 'Un message de test.', ...body });
    };
    for (let i = 0; i < REPORTS_PER_EMAIL; i++) {
      // Letter case does not make another address.
      expect((await sendFrom({ email: i % 2 ? email : email.toLowerCase() })).status).toBe(303);
    }
    const over = await sendFrom({ email });
    expect(over.status).toBe(429);
    expect(over.text).toContain('avec cette adresse');
    expect(await listReports(db, { placeId: place.id })).toHaveLength(REPORTS_PER_EMAIL);
    // Without an address, or with another one: only the per-IP limit applies.
    expect((await sendFrom({})).status).toBe(303);
    expect((await sendFrom({ email: `autre-${Date.now()}@exemple.fr` })).status).toBe(303);
    expect(await listReports(db, { placeId: place.id })).toHaveLength(REPORTS_PER_EMAIL + 2);
  });
});
