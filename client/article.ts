/**
 * Article page: "Utiliser ma position" for the nearby places (issue 4). Without JavaScript the
 * commune / postal code form works alone; with it, the browser's position fills lat/lon.
 */
export function nearbyUrl(current: string, lat: number, lon: number): string {
  const url = new URL(current);
  url.searchParams.delete('ou');
  url.searchParams.delete('commune');
  url.searchParams.delete('code_postal');
  url.searchParams.set('lat', lat.toFixed(5));
  url.searchParams.set('lon', lon.toFixed(5));
  url.hash = 'pres-de-chez-vous';
  return url.toString();
}

function enhance() {
  const button = document.getElementById('nearby-locate') as HTMLButtonElement | null;
  const status = document.getElementById('nearby-geo-status');
  if (!button || !status) return;
  button.hidden = false;
  button.addEventListener('click', () => {
    if (!('geolocation' in navigator)) {
      status.textContent =
        'Votre navigateur ne sait pas donner votre position. Tapez votre commune ou votre code postal.';
      return;
    }
    status.textContent = 'Recherche de votre position…';
    navigator.geolocation.getCurrentPosition(
      (position) => {
        status.textContent = 'Position trouvée.';
        window.location.assign(nearbyUrl(window.location.href, position.coords.latitude, position.coords.longitude));
      },
      (error) => {
        status.textContent =
          error.code === error.PERMISSION_DENIED
            ? 'Vous n’avez pas autorisé la localisation. Tapez plutôt votre commune ou votre code postal.'
            : 'Votre position n’a pas pu être trouvée. Tapez plutôt votre commune ou votre code postal.';
        document.getElementById('nearby-ou')?.focus();
      },
      { enableHighAccuracy: false, timeout: 15_000, maximumAge: 300_000 },
    );
  });
}

if (typeof document !== 'undefined') {
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', enhance);
  else enhance();
}
