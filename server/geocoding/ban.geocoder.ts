import type { GeocodeResult, Geocoder } from './geocoder.js';

export interface BanOptions {
  /** Base URL of the Base Adresse Nationale API, e.g. https://api-adresse.data.gouv.fr */
  baseUrl: string;
  timeoutMs: number;
  /** Used when the BAN fails, times out or finds nothing: the offline table. */
  fallback: Geocoder;
  fetch?: typeof fetch;
  log?: (message: string, error?: unknown) => void;
  minScore?: number;
}

interface BanFeature {
  geometry?: { type: string; coordinates?: [number, number] };
  properties?: { label?: string; score?: number; type?: string; citycode?: string; postcode?: string; city?: string };
}

const KINDS: Record<string, GeocodeResult['kind']> = {
  housenumber: 'address',
  street: 'address',
  locality: 'address',
  municipality: 'commune',
};

/**
 * Street addresses through the national BAN API (switched on by GEOCODER=ban). Suggestions of
 * communes stay offline; any failure or a timeout falls back to the offline table.
 */
export function createBanGeocoder(options: BanOptions): Geocoder {
  const doFetch = options.fetch ?? fetch;
  const minScore = options.minScore ?? 0.4;

  async function askBan(text: string): Promise<GeocodeResult | null> {
    const url = new URL('/search/', options.baseUrl);
    url.searchParams.set('q', text);
    url.searchParams.set('limit', '1');
    const response = await doFetch(url, {
      signal: AbortSignal.timeout(options.timeoutMs),
      headers: { accept: 'application/json' },
    });
    if (!response.ok) throw new Error(`BAN : réponse ${response.status}`);
    const body = (await response.json()) as { features?: BanFeature[] };
    const feature = body.features?.[0];
    const coordinates = feature?.geometry?.coordinates;
    const properties = feature?.properties ?? {};
    if (!coordinates || !Number.isFinite(coordinates[0]) || !Number.isFinite(coordinates[1])) return null;
    if ((properties.score ?? 0) < minScore) return null;
    return {
      label: properties.label ?? text,
      lat: coordinates[1],
      lon: coordinates[0],
      kind: KINDS[properties.type ?? ''] ?? 'address',
      insee: properties.citycode,
      alternatives: [],
      source: 'ban',
    };
  }

  return {
    async geocode(text) {
      if (text.trim().length >= 3) {
        try {
          const found = await askBan(text.trim());
          if (found) return found;
        } catch (error) {
          options.log?.('Géocodage BAN indisponible, repli sur la table des communes', error);
        }
      }
      return options.fallback.geocode(text);
    },
    suggest: (text, limit) => options.fallback.suggest(text, limit),
  };
}
