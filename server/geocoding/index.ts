import type { Config } from '../config.js';
import type { Db } from '../db/knex.js';
import { createBanGeocoder } from './ban.geocoder.js';
import { createOfflineGeocoder, type Geocoder } from './geocoder.js';

export type { Geocoder } from './geocoder.js';

/** The offline table by default; the BAN adapter in front of it when GEOCODER=ban. */
export function createGeocoder(deps: {
  db: Db;
  config: Pick<Config, 'GEOCODER' | 'BAN_API_URL' | 'GEOCODER_TIMEOUT_MS'>;
  log?: (message: string, error?: unknown) => void;
}): Geocoder {
  const offline = createOfflineGeocoder({ db: deps.db });
  if (deps.config.GEOCODER !== 'ban') return offline;
  return createBanGeocoder({
    baseUrl: deps.config.BAN_API_URL,
    timeoutMs: deps.config.GEOCODER_TIMEOUT_MS,
    fallback: offline,
    log: deps.log,
  });
}
