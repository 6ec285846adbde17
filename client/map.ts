/**
 * Every Leaflet call of the site lives in client/map*.ts (uMap's rule): this file, the markers
 * (map-markers.ts) and the edit form's pin (map-pin-picker.ts). The map enhances the server-rendered
 * list: it is never the only way to reach a place. When tiles cannot load (offline, blocked), the
 * markers stay visible over a light outline of France shipped with the app.
 */
import L from './leaflet-global.js';
import 'leaflet.markercluster';
import { boundsToFit } from './bounds.js';
import type { Bounds, MapView } from './url-state.js';
import { FRANCE, markerIcon, popupContent, type MarkerData } from './map-markers.js';

export type { MarkerData } from './map-markers.js';

export interface MapOptions {
  tilesUrl: string;
  attribution: string;
  outlineUrl?: string;
  cluster?: boolean;
}

export interface MapHandle {
  setMarkers(markers: MarkerData[], options?: { fit?: boolean; maxZoom?: number }): void;
  highlight(id: number | null): void;
  setView(view: MapView): void;
  fitCircle(center: { lat: number; lon: number }, radiusKm: number): void;
  fitBounds(bounds: Bounds): void;
  view(): MapView;
  bounds(): Bounds;
  /** Called when the visitor (not the code) moved or zoomed the map. */
  onUserMove(callback: () => void): void;
  /** Called with the place's id when the visitor opens a marker. */
  onMarkerOpen(callback: (id: number) => void): void;
  invalidateSize(): void;
  /**
   * Every place, not only the list's page: at each move the viewport's clusters and single places
   * come from `/api/v1/map` (at most 500); a click on a cluster zooms in where it splits.
   */
  showAllPlaces(apiUrl: string): void;
}

interface MapApiFeature {
  geometry: { coordinates: [number, number] };
  properties: {
    cluster: boolean;
    point_count?: number;
    expansion_zoom?: number;
    id?: number;
    nom?: string;
    url?: string;
  };
}

/** The viewport as the API's bbox (west,south,east,north), clamped to the world. */
function apiBbox(b: Bounds): string {
  const clamp = (v: number, max: number) => Math.max(-max, Math.min(max, v));
  return [clamp(b.west, 180), clamp(b.south, 90), clamp(b.east, 180), clamp(b.north, 90)]
    .map((v) => v.toFixed(5))
    .join(',');
}

export function createMap(element: HTMLElement, options: MapOptions): MapHandle {
  const map = L.map(element, {
    zoomControl: false,
    attributionControl: false,
    center: [FRANCE.lat, FRANCE.lon],
    zoom: FRANCE.zoom,
  });
  L.control.zoom({ zoomInTitle: 'Zoomer', zoomOutTitle: 'Dézoomer' }).addTo(map);
  L.control.attribution({ prefix: '<a href="https://leafletjs.com">Leaflet</a>' }).addTo(map);

  // The outline sits under the tiles: hidden by them when they load, visible when they cannot.
  map.createPane('outline');
  const outlinePane = map.getPane('outline');
  if (outlinePane) outlinePane.style.zIndex = '150';
  if (options.outlineUrl) {
    fetch(options.outlineUrl)
      .then((response) => (response.ok ? (response.json() as Promise<GeoJSON.GeoJsonObject>) : null))
      .then((geojson) => {
        if (geojson)
          L.geoJSON(geojson, {
            pane: 'outline',
            interactive: false,
            style: { color: '#8a94a6', weight: 1, fillColor: '#f4f3ee', fillOpacity: 1 },
          }).addTo(map);
      })
      .catch(() => undefined);
  }
  const tiles = L.tileLayer(options.tilesUrl, { attribution: options.attribution, maxZoom: 19, crossOrigin: false });
  let tileErrors = 0;
  tiles.on('tileerror', () => {
    tileErrors += 1;
    if (tileErrors === 1) {
      element.classList.add('map-tiles-failed');
      const note = document.createElement('p');
      note.className = 'map-offline-note';
      note.textContent =
        'Le fond de carte ne se charge pas : les lieux restent affichés, et la liste donne toutes les informations.';
      element.appendChild(note);
    }
  });
  tiles.addTo(map);

  const group =
    options.cluster === false
      ? L.featureGroup()
      : L.markerClusterGroup({
          showCoverageOnHover: false,
          maxClusterRadius: 45,
          iconCreateFunction: (cluster) => {
            const count = cluster.getChildCount();
            const html = document.createElement('span');
            html.textContent = String(count);
            const words = document.createElement('span');
            words.className = 'visually-hidden';
            words.textContent = ' lieux : zoomer';
            html.appendChild(words);
            return L.divIcon({ html, className: 'map-cluster', iconSize: [38, 38] });
          },
        });
  group.addTo(map);
  const markers = new Map<number, { marker: L.Marker; data: MarkerData }>();
  let highlighted: HTMLElement | null = null;
  // Moves made by this code (all without animation, so their events fire synchronously) are not
  // the visitor's: they must not offer "Rechercher dans cette zone".
  let programmatic = false;
  const moveCallbacks: (() => void)[] = [];
  const openCallbacks: ((id: number) => void)[] = [];
  const quietly = (move: () => void) => {
    programmatic = true;
    try {
      move();
    } finally {
      programmatic = false;
    }
  };
  map.on('moveend', () => {
    if (programmatic) return;
    for (const callback of moveCallbacks) callback();
  });

  const handle: MapHandle = {
    setMarkers(list, { fit = true, maxZoom = 14 } = {}) {
      group.clearLayers();
      markers.clear();
      highlighted = null;
      for (const data of list) {
        const marker = L.marker([data.lat, data.lon], {
          icon: markerIcon(data.nom),
          title: data.nom,
          keyboard: true,
          riseOnHover: true,
        });
        marker.bindPopup(() => popupContent(data));
        marker.on('popupopen', () => {
          for (const callback of openCallbacks) callback(data.id);
        });
        markers.set(data.id, { marker, data });
        group.addLayer(marker);
      }
      const target = fit ? boundsToFit(list) : null;
      if (target) {
        const bounds = L.latLngBounds([target.south, target.west], [target.north, target.east]);
        quietly(() => map.fitBounds(bounds, { padding: [24, 24], maxZoom, animate: false }));
      }
    },
    highlight(id) {
      highlighted?.classList.remove('is-highlighted');
      highlighted = null;
      if (id === null) return;
      const entry = markers.get(id);
      if (!entry) return;
      const cluster = group as unknown as { getVisibleParent?: (m: L.Marker) => L.Marker | null };
      const visible = cluster.getVisibleParent ? cluster.getVisibleParent(entry.marker) : entry.marker;
      const element = visible?.getElement();
      if (element) {
        element.classList.add('is-highlighted');
        highlighted = element;
      }
    },
    setView(view) {
      quietly(() => map.setView([view.lat, view.lon], view.zoom, { animate: false }));
    },
    fitCircle(center, radiusKm) {
      const dLat = radiusKm / 111.2;
      const dLon = radiusKm / (111.2 * Math.cos((center.lat * Math.PI) / 180));
      quietly(() =>
        map.fitBounds(
          [
            [center.lat - dLat, center.lon - dLon],
            [center.lat + dLat, center.lon + dLon],
          ],
          { animate: false },
        ),
      );
    },
    fitBounds(bounds) {
      quietly(() =>
        map.fitBounds(
          [
            [bounds.south, bounds.west],
            [bounds.north, bounds.east],
          ],
          { animate: false },
        ),
      );
    },
    view() {
      const center = map.getCenter();
      return { zoom: map.getZoom(), lat: center.lat, lon: center.lng };
    },
    bounds() {
      const b = map.getBounds();
      return { west: b.getWest(), south: b.getSouth(), east: b.getEast(), north: b.getNorth() };
    },
    onMarkerOpen(callback) {
      openCallbacks.push(callback);
    },
    onUserMove(callback) {
      moveCallbacks.push(callback);
    },
    invalidateSize() {
      map.invalidateSize();
    },
    showAllPlaces(apiUrl) {
      const layer = L.layerGroup().addTo(map);
      let request = 0;
      const draw = (features: MapApiFeature[]) => {
        layer.clearLayers();
        for (const feature of features) {
          const [lon, lat] = feature.geometry.coordinates;
          const { properties } = feature;
          if (properties.cluster) {
            const html = document.createElement('span');
            html.textContent = String(properties.point_count ?? '');
            const words = document.createElement('span');
            words.className = 'visually-hidden';
            words.textContent = ' lieux : zoomer';
            html.appendChild(words);
            const marker = L.marker([lat, lon], {
              icon: L.divIcon({ html, className: 'map-cluster map-cluster-all', iconSize: [38, 38] }),
              keyboard: true,
            });
            marker.on('click', () => map.setView([lat, lon], properties.expansion_zoom ?? map.getZoom() + 2));
            layer.addLayer(marker);
          } else if (properties.id !== undefined && !markers.has(properties.id)) {
            const data = { id: properties.id, nom: properties.nom ?? '', url: properties.url ?? '#', lat, lon };
            const marker = L.marker([lat, lon], { icon: markerIcon(data.nom), title: data.nom, keyboard: true });
            marker.bindPopup(() => popupContent(data));
            layer.addLayer(marker);
          }
        }
      };
      const load = () => {
        const mine = ++request;
        const params = new URLSearchParams({ bbox: apiBbox(handle.bounds()), zoom: String(map.getZoom()) });
        fetch(`${apiUrl}?${params.toString()}`, { headers: { Accept: 'application/json' } })
          .then((res) => (res.ok ? (res.json() as Promise<{ features: MapApiFeature[] }>) : null))
          .then((body) => {
            // Only the answer to the latest move is drawn (an older one may arrive last).
            if (body && mine === request) draw(body.features);
          })
          .catch(() => {
            // Without the API the list and its page of markers remain.
          });
      };
      map.on('moveend', load);
      load();
    },
  };
  return handle;
}
