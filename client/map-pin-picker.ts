import L from './leaflet-global.js';
import { FRANCE, markerIcon } from './map-markers.js';

export interface PinPickerOptions {
  tilesUrl: string;
  attribution: string;
  at: { lat: number; lon: number } | null;
  onChange(at: { lat: number; lon: number }): void;
}

/**
 * The edit form's map (issue 5): one draggable pin for the place's position; a click on the map
 * moves it too. The latitude / longitude fields stay the source of truth (and work without JS).
 */
export function createPinPicker(element: HTMLElement, options: PinPickerOptions) {
  const start: [number, number] = options.at ? [options.at.lat, options.at.lon] : [FRANCE.lat, FRANCE.lon];
  const map = L.map(element, { center: start, zoom: options.at ? 17 : FRANCE.zoom });
  L.tileLayer(options.tilesUrl, { attribution: options.attribution, maxZoom: 19, crossOrigin: false }).addTo(map);
  const pin = L.marker(start, {
    draggable: true,
    keyboard: true,
    title: 'Position du lieu',
    icon: markerIcon('Position du lieu', true),
  }).addTo(map);
  const round = (value: number) => Math.round(value * 1e6) / 1e6;
  const emit = () => {
    const { lat, lng } = pin.getLatLng();
    options.onChange({ lat: round(lat), lon: round(lng) });
  };
  pin.on('dragend', emit);
  map.on('click', (event: L.LeafletMouseEvent) => {
    pin.setLatLng(event.latlng);
    emit();
  });
  return {
    moveTo(at: { lat: number; lon: number }) {
      pin.setLatLng([at.lat, at.lon]);
      map.setView([at.lat, at.lon], Math.max(map.getZoom(), 15), { animate: false });
    },
  };
}
