import { openStateText } from '../shared/open-state.js';
import type { PlaceSummary } from './places.responses.js';

/**
 * A place as a result card (search page, label pages) and as a map marker: both lists show places the
 * same way, so the shape lives with the places.
 */
export interface CardView {
  id: number;
  nom: string;
  url: string;
  address: string;
  distance: number | null;
  open: { state: string; text: string };
  services: string[];
  moreServices: number;
  labels: string[];
  lat: number | null;
  lon: number | null;
  /** The position is the commune's centre, not the place's (the source gave no position). */
  approximate: boolean;
}

export function cardOf(item: PlaceSummary, labelNames: Map<string, string>, today: string): CardView {
  const MAIN = 3;
  return {
    id: item.id,
    nom: item.nom,
    url: item.url,
    address: [item.adresse, item.complement_adresse, `${item.code_postal} ${item.commune}`].filter(Boolean).join(', '),
    distance: item.distance_km ?? null,
    open: openStateText(item.open_now, item.next_change, today),
    services: item.services.slice(0, MAIN),
    moreServices: Math.max(0, item.services.length - MAIN),
    labels: item.labels.map((slug) => labelNames.get(slug) ?? slug),
    lat: item.latitude,
    lon: item.longitude,
    approximate: item.location_precision === 'commune',
  };
}

/** The map's markers: only what a popup needs, handed over in a JSON block. */
export const markerOf = (card: CardView) =>
  card.lat === null || card.lon === null
    ? null
    : {
        id: card.id,
        nom: card.nom,
        url: card.url,
        lat: card.lat,
        lon: card.lon,
        open: card.open.text,
        ...(card.approximate ? { approximate: true } : {}),
      };
