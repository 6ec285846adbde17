// The markers of the maps: their icon, their popup, and the view of the whole of France.
import L from './leaflet-global.js';
import type { MapView } from './url-state.js';

export interface MarkerData {
  id: number;
  nom: string;
  url: string;
  lat: number;
  lon: number;
  open?: string;
  /** Only the commune's centre is known (the popup says so). */
  approximate?: boolean;
}

export const FRANCE: MapView = { zoom: 5, lat: 46.6, lon: 2.45 };

export function markerIcon(name: string, highlighted = false) {
  const html = document.createElement('span');
  html.className = 'map-pin-dot';
  const label = document.createElement('span');
  label.className = 'visually-hidden';
  label.textContent = name;
  html.appendChild(label);
  return L.divIcon({
    className: `map-pin${highlighted ? ' is-highlighted' : ''}`,
    html,
    iconSize: [26, 26],
    iconAnchor: [13, 13],
    popupAnchor: [0, -12],
  });
}

export function popupContent(marker: MarkerData): HTMLElement {
  const box = document.createElement('div');
  const link = document.createElement('a');
  link.href = marker.url;
  link.textContent = marker.nom;
  box.appendChild(link);
  if (marker.open) {
    const state = document.createElement('p');
    state.textContent = marker.open;
    box.appendChild(state);
  }
  if (marker.approximate) {
    const note = document.createElement('p');
    note.textContent = 'Position approximative : centre de la commune';
    box.appendChild(note);
  }
  return box;
}
