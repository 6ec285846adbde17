/** Place and label pages: a small map of the place(s) listed on the page (the text says it all too). */
import 'leaflet/dist/leaflet.css';
import 'leaflet.markercluster/dist/MarkerCluster.css';
import './styles/map.css';
import './styles/place.css';
import { createMap, type MarkerData } from './map.js';

/**
 * A report sent with errors comes back as a whole page, at "#signaler": the error summary takes the
 * focus so that it is read out and the visitor starts from it (the CSP forbids inline scripts).
 */
function focusReportErrors() {
  const summary = document.querySelector<HTMLElement>('#signaler .form-error-summary');
  // Never take the focus from where the visitor already put it (a slow page finishes loading late).
  if (!summary || (document.activeElement && document.activeElement !== document.body)) return;
  if (!summary.hasAttribute('tabindex')) summary.tabIndex = -1;
  summary.focus();
  summary.scrollIntoView({ block: 'start' });
}

function start() {
  // After the browser's own move to "#signaler" (which takes the focus to the page): on load.
  if (document.readyState === 'complete') focusReportErrors();
  else window.addEventListener('load', () => setTimeout(focusReportErrors, 0), { once: true });
  const element = document.querySelector<HTMLElement>('.map[data-tiles-url]');
  const block = document.getElementById('map-data');
  if (!element || !block?.textContent) return;
  let data: { markers: MarkerData[] };
  try {
    data = JSON.parse(block.textContent) as { markers: MarkerData[] };
  } catch {
    return;
  }
  element.hidden = false;
  const map = createMap(element, {
    tilesUrl: element.dataset.tilesUrl ?? '',
    attribution: element.dataset.attribution ?? '',
    outlineUrl: element.dataset.outline,
    cluster: data.markers.length > 1,
  });
  map.setMarkers(data.markers, { fit: true, maxZoom: data.markers.length > 1 ? 12 : 15 });
  // A label page lists its places page by page; the map shows them all, read from the API.
  const source = element.dataset.markersUrl;
  if (source && typeof fetch === 'function')
    void loadAll(source).then((all) => {
      if (all.length > data.markers.length) map.setMarkers(all, { fit: true, maxZoom: 12 });
    });
}

interface ApiPage {
  items: { id: number; nom: string; url: string; latitude: number | null; longitude: number | null }[];
  next_cursor: string | null;
}

async function loadAll(source: string, maxPages = 50): Promise<MarkerData[]> {
  const markers: MarkerData[] = [];
  let cursor: string | null = null;
  try {
    for (let i = 0; i < maxPages; i++) {
      const url: string = cursor ? `${source}&cursor=${encodeURIComponent(cursor)}` : source;
      const response = await fetch(url, { headers: { accept: 'application/json' } });
      if (!response.ok) break;
      const page = (await response.json()) as ApiPage;
      for (const item of page.items) {
        if (item.latitude !== null && item.longitude !== null)
          markers.push({ id: item.id, nom: item.nom, url: item.url, lat: item.latitude, lon: item.longitude });
      }
      cursor = page.next_cursor;
      if (!cursor) break;
    }
  } catch {
    // The list on the page stays the reference; the map keeps what it has.
  }
  return markers;
}

if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
else start();
