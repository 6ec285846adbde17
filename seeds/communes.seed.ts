import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { z } from 'zod';
import type { Db } from '../server/db/knex.js';
import { upsertCommunes, type CommuneRow } from '../server/geocoding/communes.repository.js';
import { findSeedRun, recordSeedRun } from './seed-runs.repository.js';

const communeSeedSchema = z.object({
  insee: z.string(),
  nom: z.string(),
  cp: z.array(z.string()),
  lat: z.number(),
  lon: z.number(),
});

interface DecoupageCommune {
  code: string;
  nom: string;
  type: string;
  chefLieu?: string;
  anciensCodes?: string[];
  population?: number;
}

/**
 * The offline geocoder's table: seeds/data/communes.json (current communes, postal codes,
 * coordinates) plus, from @etalab/decoupage-administratif, the former codes and the names of the
 * former communes merged into each one, and its population (to rank homonyms).
 * Skipped when neither file changed.
 */
export async function seedCommunes(
  db: Db,
  file: string,
  log: (message: string) => void,
): Promise<number | 'unchanged'> {
  const decoupagePath = path.join(
    path.dirname(createRequire(import.meta.url).resolve('@etalab/decoupage-administratif/package.json')),
    'data/communes.json',
  );
  const [content, decoupageContent] = await Promise.all([readFile(file, 'utf8'), readFile(decoupagePath, 'utf8')]);
  const checksum = createHash('sha256').update(content).update(decoupageContent).digest('hex');
  const runName = `communes:${path.basename(file)}`;
  if ((await findSeedRun(db, runName))?.checksum === checksum) {
    log(`Communes déjà chargées depuis ${path.basename(file)} (inchangé).`);
    return 'unchanged';
  }
  const seeds = z.array(communeSeedSchema).parse(JSON.parse(content));
  const decoupage = JSON.parse(decoupageContent) as DecoupageCommune[];
  const current = new Map(
    decoupage
      .filter((c) => c.type === 'commune-actuelle' || c.type === 'arrondissement-municipal')
      .map((c) => [c.code, c]),
  );
  const formerNames = new Map<string, string[]>();
  for (const former of decoupage) {
    if ((former.type === 'commune-deleguee' || former.type === 'commune-associee') && former.chefLieu && former.nom) {
      const names = formerNames.get(former.chefLieu) ?? [];
      if (!names.includes(former.nom)) names.push(former.nom);
      formerNames.set(former.chefLieu, names);
    }
  }
  const rows: CommuneRow[] = seeds.map((seed) => {
    const info = current.get(seed.insee);
    return {
      insee: seed.insee,
      nom: seed.nom,
      codesPostaux: seed.cp,
      latitude: seed.lat,
      longitude: seed.lon,
      anciensCodes: (info?.anciensCodes ?? []).filter((code) => code !== seed.insee),
      anciensNoms: (formerNames.get(seed.insee) ?? []).filter((name) => name !== seed.nom),
      population: info?.population ?? null,
    };
  });
  await db.transaction(async (trx) => {
    await upsertCommunes(trx, rows);
  });
  await recordSeedRun(db, runName, checksum, { communes: rows.length });
  log(`Communes (${path.basename(file)}) : ${rows.length} chargées pour le géocodage hors ligne.`);
  return rows.length;
}
