// leaflet.markercluster is a plugin that reads the global `L`: publish Leaflet before it loads.
import L from 'leaflet';

(window as unknown as { L: typeof L }).L = L;
export default L;
