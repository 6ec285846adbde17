/** Edit form "Informations générales": adjust the place's position with a pin on a map. */
import 'leaflet/dist/leaflet.css';
import './styles/map.css';
import './styles/pin-map.css';
import { createPinPicker } from './map-pin-picker.js';

function start() {
  const form = document.querySelector<HTMLFormElement>('form[data-map-pin]');
  const lat = form?.querySelector<HTMLInputElement>('#latitude');
  const lon = form?.querySelector<HTMLInputElement>('#longitude');
  if (!form || !lat || !lon) return;
  const element = document.createElement('div');
  element.className = 'map pin-map';
  element.setAttribute('role', 'application');
  element.setAttribute('aria-label', 'Carte : cliquez ou faites glisser l’épingle pour placer le lieu');
  lat.closest('.field')?.before(element);
  const read = () => {
    const a = Number(lat.value.replace(',', '.'));
    const b = Number(lon.value.replace(',', '.'));
    return lat.value.trim() && lon.value.trim() && Number.isFinite(a) && Number.isFinite(b) ? { lat: a, lon: b } : null;
  };
  const picker = createPinPicker(element, {
    tilesUrl: form.dataset.tilesUrl ?? '',
    attribution: form.dataset.attribution ?? '',
    at: read(),
    onChange(at) {
      lat.value = String(at.lat);
      lon.value = String(at.lon);
    },
  });
  const follow = () => {
    const at = read();
    if (at) picker.moveTo(at);
  };
  lat.addEventListener('change', follow);
  lon.addEventListener('change', follow);
}

start();
