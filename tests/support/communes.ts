import { randomInt, randomUUID } from 'node:crypto';
import type { Db } from '../../server/db/knex.js';
import { upsertCommunes, type CommuneRow } from '../../server/geocoding/communes.repository.js';

/** A made-up word, so that a test's commune names never meet another test's (or the seeds'). */
export const uniqueWord = () =>
  `Zq${randomUUID()
    .replace(/[^a-f]/g, '')
    .slice(0, 8)}`;

/** An unused-looking INSEE code and postal code (tests run on their own rows, never the seeds). */
const randomInsee = () => `9${randomInt(0, 10)}${String(randomInt(0, 1000)).padStart(3, '0')}`;
export const randomPostalCode = () => `0${String(randomInt(0, 10000)).padStart(4, '0')}`;

export async function makeCommune(db: Db, overrides: Partial<CommuneRow> = {}): Promise<CommuneRow> {
  let insee = overrides.insee ?? randomInsee();
  // Retry on the rare collision with an existing code.
  while (!overrides.insee && (await db('communes').where({ insee }).first())) insee = randomInsee();
  const row: CommuneRow = {
    insee,
    nom: `Commune ${uniqueWord()}`,
    codesPostaux: [randomPostalCode()],
    latitude: 45,
    longitude: 5,
    population: 1000,
    ...overrides,
  };
  await upsertCommunes(db, [row]);
  return row;
}
