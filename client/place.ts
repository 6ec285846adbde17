/** Place and label pages: a small map of the place(s) listed on the page (the text says it all too). */
import 'leaflet/dist/leaflet.css';
import 'leaflet.markercluster/dist/MarkerCluster.css';
import './styles/map.css';
import './styles/place.css';
import { createMap, type MarkerData } from './map.js';

function start() {
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
}

if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
else start();
