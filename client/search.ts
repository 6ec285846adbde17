/**
 * The search page, enhanced: the server-rendered form and list work without this script; with it,
 * the map shows the same results, filters apply without a full reload, the URL keeps the whole
 * state, "Autour de moi" uses the browser's position, and communes are suggested while typing.
 */
import 'leaflet/dist/leaflet.css';
import 'leaflet.markercluster/dist/MarkerCluster.css';
import './styles/map.css';
import './styles/search.css';
import { createMap, type MapHandle, type MarkerData } from './map.js';
import type { MapView } from './url-state.js';
import {
  areaParams,
  formatMapView,
  formValuesFromParams,
  geolocationParams,
  parseBbox,
  parseMapView,
  searchParamsFromForm,
  searchUrl,
  withMapView,
} from './url-state.js';

interface SearchData {
  center: { lat: number; lon: number } | null;
  radiusKm: number | null;
  bbox: { minLon: number; minLat: number; maxLon: number; maxLat: number } | null;
  view: { zoom: number; lat: number; lon: number } | null;
  markers: MarkerData[];
}

// The caller names the element type it expects from the page's markup (a typed cast, as querySelector<T> does).
// eslint-disable-next-line @typescript-eslint/no-unnecessary-type-parameters
const byId = <T extends HTMLElement>(id: string) => document.getElementById(id) as T | null;

function readData(root: ParentNode): SearchData | null {
  const block = root.querySelector<HTMLScriptElement>('#search-data');
  if (!block?.textContent) return null;
  try {
    return JSON.parse(block.textContent) as SearchData;
  } catch {
    return null;
  }
}

function start() {
  const form = byId<HTMLFormElement>('search-form');
  const results = byId<HTMLElement>('resultats');
  const mapElement = byId<HTMLElement>('carte');
  const status = byId<HTMLElement>('search-status');
  const where = byId<HTMLInputElement>('ou');
  if (!form || !results || !where || typeof fetch !== 'function' || typeof URLSearchParams !== 'function') return;
  let shownWhere = where.value;
  let current = new URLSearchParams(window.location.search);
  /** The query string the form and the list show (a change of hash alone leaves it as it is). */
  let shownSearch = window.location.search;
  let map: MapHandle | null = null;
  let pending: AbortController | null = null;

  const setHidden = (name: string, value: string | null) => {
    let input = form.querySelector<HTMLInputElement>(`input[type=hidden][name="${name}"]`);
    if (value === null) {
      input?.remove();
      return;
    }
    if (!input) {
      input = document.createElement('input');
      input.type = 'hidden';
      input.name = name;
      form.appendChild(input);
    }
    input.value = value;
  };
  const syncHidden = (params: URLSearchParams) => {
    for (const name of ['lat', 'lon', 'bbox', 'carte']) setHidden(name, params.get(name));
  };

  // ----- the map -----
  const showOnMap = (data: SearchData | null, keepView: boolean) => {
    if (!map) return;
    const markers = data?.markers ?? [];
    map.setMarkers(markers, { fit: !keepView && markers.length > 0 });
    if (keepView || markers.length) return;
    if (data?.bbox)
      map.fitBounds({
        west: data.bbox.minLon,
        south: data.bbox.minLat,
        east: data.bbox.maxLon,
        north: data.bbox.maxLat,
      });
    else if (data?.center) map.fitCircle(data.center, data.radiusKm ?? 30);
  };
  const areaButton = byId<HTMLButtonElement>('search-area');
  if (mapElement) {
    mapElement.hidden = false;
    map = createMap(mapElement, {
      tilesUrl: mapElement.dataset.tilesUrl ?? '',
      attribution: mapElement.dataset.attribution ?? '',
      outlineUrl: mapElement.dataset.outline,
    });
    const initial = readData(results);
    const view = parseMapView(current.get('carte'));
    showOnMap(initial, Boolean(view));
    if (view) map.setView(view);
    else if (!initial) {
      const box = parseBbox(current.get('bbox'));
      if (box) map.fitBounds(box);
    }
    mapElement.dataset.view = formatMapView(map.view());
    // Every place of the viewport as clusters, the list staying nearest-first and paginated.
    map.showAllPlaces('/api/v1/map');
    map.onUserMove(() => {
      if (!map) return;
      current = withMapView(current, map.view());
      mapElement.dataset.view = current.get('carte') ?? '';
      history.replaceState(null, '', searchUrl(current));
      shownSearch = window.location.search;
      setHidden('carte', current.get('carte'));
      if (areaButton) areaButton.hidden = false;
    });
  }

  const revealMapLink = () => {
    const link = results.querySelector<HTMLElement>('.to-map');
    if (link && map) link.hidden = false;
  };
  revealMapLink();

  // ----- list ↔ map -----
  const cardId = (target: EventTarget | null) => {
    // A click can land on a text node, which has no closest().
    const card = target instanceof Element ? target.closest<HTMLElement>('[data-place-id]') : null;
    return card ? Number(card.dataset.placeId) : null;
  };
  // A marker opened on the map: its card is marked in the list too.
  map?.onMarkerOpen((id) => {
    results.querySelector('.place-card.is-selected')?.classList.remove('is-selected');
    const card = results.querySelector<HTMLElement>(`[data-place-id="${id}"]`);
    card?.classList.add('is-selected');
  });
  results.addEventListener('mouseover', (event) => map?.highlight(cardId(event.target)));
  results.addEventListener('focusin', (event) => map?.highlight(cardId(event.target)));
  results.addEventListener('mouseleave', () => map?.highlight(null));
  results.addEventListener('focusout', () => map?.highlight(null));

  // ----- loading results without a full reload -----
  const announce = (text: string) => {
    if (status) status.textContent = text;
  };
  const load = async (
    params: URLSearchParams,
    options: { push: boolean; keepView: boolean; focus: boolean; view?: MapView | null },
  ) => {
    pending?.abort();
    const controller = new AbortController();
    pending = controller;
    results.setAttribute('aria-busy', 'true');
    announce('Recherche en cours…');
    try {
      const response = await fetch(searchUrl(params), {
        headers: { 'X-Fragment': 'results' },
        signal: controller.signal,
      });
      const html = await response.text();
      if (!response.ok && response.status !== 400) throw new Error(String(response.status));
      if (response.status === 400) {
        // The server explains what is wrong next to the fields: show the full page.
        window.location.assign(searchUrl(params));
        return;
      }
      results.innerHTML = html;
      // The map will fit the new results: an old map position would no longer describe it.
      if (!options.keepView) params.delete('carte');
      current = params;
      shownWhere = params.get('ou') ?? '';
      where.value = shownWhere; // an area or a position replaces the typed place
      syncHidden(params);
      if (options.push) history.pushState(null, '', searchUrl(params));
      shownSearch = window.location.search;
      const data = readData(results);
      // A URL without radius (back to an older search): show the radius the server used
      // (30 km, or 100 for a department).
      const radiusSelect = byId<HTMLSelectElement>('radius_km');
      if (
        radiusSelect &&
        !params.get('radius_km') &&
        data?.radiusKm &&
        Array.from(radiusSelect.options).some((o) => o.value === String(data.radiusKm))
      ) {
        radiusSelect.value = String(data.radiusKm);
      }
      showOnMap(data, options.keepView);
      if (options.view && map) map.setView(options.view);
      revealMapLink();
      if (areaButton) areaButton.hidden = true;
      const heading = results.querySelector<HTMLElement>('#resultats-titre');
      announce(heading?.textContent.replace(/\s+/g, ' ').trim() ?? 'Résultats mis à jour.');
      if (options.focus) heading?.focus();
    } catch (error) {
      if ((error as Error).name === 'AbortError') return;
      window.location.assign(searchUrl(params));
    } finally {
      if (pending === controller) {
        pending = null;
        results.removeAttribute('aria-busy');
      }
    }
  };

  const formParams = () =>
    searchParamsFromForm(new FormData(form) as unknown as Iterable<[string, string]>, shownWhere);
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const params = formParams();
    if ([...params.keys()].length === 0) {
      where.focus();
      return;
    }
    void load(params, { push: true, keepView: false, focus: true });
  });
  // A filter changed: apply it at once when a place is already chosen.
  form.addEventListener('change', (event) => {
    const target = event.target as HTMLInputElement;
    if (target === where || target.type === 'date' || target.type === 'time') return;
    if (!current.get('ou') && !current.get('lat')) return;
    const params = formParams();
    void load(params, { push: true, keepView: Boolean(params.get('bbox')), focus: false });
  });

  if (areaButton && map) {
    areaButton.addEventListener('click', () => {
      void load(areaParams(formParams(), map.bounds(), map.view()), { push: true, keepView: true, focus: true });
    });
  }

  // ----- "Autour de moi" -----
  const locate = byId<HTMLButtonElement>('autour-de-moi');
  const geoStatus = byId<HTMLElement>('geoloc-status');
  if (locate && geoStatus) {
    locate.hidden = false;
    locate.addEventListener('click', () => {
      if (!('geolocation' in navigator)) {
        geoStatus.textContent =
          'Votre navigateur ne sait pas donner votre position. Tapez votre commune ou votre code postal.';
        return;
      }
      geoStatus.textContent = 'Recherche de votre position…';
      navigator.geolocation.getCurrentPosition(
        (position) => {
          geoStatus.textContent = 'Position trouvée : voici les lieux autour de vous.';
          where.value = '';
          void load(geolocationParams(formParams(), position.coords.latitude, position.coords.longitude), {
            push: true,
            keepView: false,
            focus: true,
          });
        },
        (error) => {
          geoStatus.textContent =
            error.code === error.PERMISSION_DENIED
              ? 'Vous n’avez pas autorisé la localisation. ' +
                'Tapez plutôt votre commune ou votre code postal, puis « Rechercher ».'
              : 'Votre position n’a pas pu être trouvée. Tapez plutôt votre commune ou votre code postal.';
          where.focus();
        },
        { enableHighAccuracy: false, timeout: 15_000, maximumAge: 300_000 },
      );
    });
  }

  // ----- commune suggestions while typing -----
  const list = byId<HTMLDataListElement>('ou-suggestions');
  let timer: ReturnType<typeof setTimeout> | undefined;
  where.addEventListener('input', () => {
    clearTimeout(timer);
    const text = where.value.trim();
    if (!list || text.length < 2) return;
    timer = setTimeout(() => {
      fetch(`/api/v1/communes?q=${encodeURIComponent(text)}&limit=8`)
        .then((response) => (response.ok ? response.json() : { items: [] }))
        .then((body: { items: { label: string }[] }) => {
          list.replaceChildren(
            ...body.items.map((item) => {
              const option = document.createElement('option');
              option.value = item.label;
              return option;
            }),
          );
        })
        .catch(() => undefined);
    }, 200);
  });

  // ----- back and forward buttons -----
  // A select the URL says nothing about goes back to the value such a URL means (30 km), never to its
  // first option (5 km).
  const defaultOf = (select: HTMLSelectElement) => {
    const wanted = select.dataset.default;
    if (wanted !== undefined && Array.from(select.options).some((o) => o.value === wanted)) return wanted;
    return Array.from(select.options).find((o) => o.defaultSelected)?.value ?? select.value;
  };
  window.addEventListener('popstate', () => {
    // Following a "#…" link (skip link, "Voir ces lieux sur la carte") changes only the hash: the
    // search itself did not change, so the form and the results stay as they are.
    if (window.location.search === shownSearch) return;
    shownSearch = window.location.search;
    const params = new URLSearchParams(window.location.search);
    const values = formValuesFromParams(params);
    for (const element of Array.from(form.elements) as HTMLInputElement[]) {
      if (!element.name || element.type === 'hidden' || element.type === 'submit' || element.type === 'button')
        continue;
      const chosen = values.get(element.name) ?? [];
      if (element.type === 'checkbox' || element.type === 'radio') element.checked = chosen.includes(element.value);
      else if (element.tagName === 'SELECT') {
        const select = element as unknown as HTMLSelectElement;
        const value = chosen.at(0);
        if (value !== undefined && !Array.from(select.options).some((o) => o.value === value)) {
          // A value the API accepts but the list does not offer (radius_km=7): offer it.
          select.add(new Option(select.id === 'radius_km' ? `${value} km` : value, value));
        }
        select.value = value ?? defaultOf(select);
      } else element.value = chosen[0] ?? '';
    }
    const view = parseMapView(params.get('carte'));
    void load(params, { push: false, keepView: Boolean(view), focus: false, view });
  });
}

if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
else start();
