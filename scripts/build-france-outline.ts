/**
 * A light outline of metropolitan France and Corsica for the map's offline background (when tiles
 * cannot load). No network here: it is traced from the communes' coordinates in
 * seeds/data/communes.json — around a centre, the farthest commune in each narrow sector, then
 * simplified (Douglas–Peucker). Coarse on purpose: a few KB, enough to see where markers are.
 *
 *   npx tsx scripts/build-france-outline.ts   → public/geo/france.geojson
 */
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';

interface Commune {
  insee: string;
  lat: number;
  lon: number;
}
type Point = [number, number]; // [lon, lat]

const communes = JSON.parse(readFileSync('seeds/data/communes.json', 'utf8')) as Commune[];
const corsica = communes.filter((c) => /^2[AB]/.test(c.insee));
const mainland = communes.filter((c) => !/^(2[AB]|97|98)/.test(c.insee) && c.lat > 41 && c.lat < 52);

function radialOutline(
  points: Commune[],
  centre: { lat: number; lon: number },
  sectors: number,
  margin: number,
): Point[] {
  const k = Math.cos((centre.lat * Math.PI) / 180);
  const best: { d: number; p: Point }[] = Array.from({ length: sectors }, () => ({ d: -1, p: [0, 0] }));
  for (const c of points) {
    const x = (c.lon - centre.lon) * k;
    const y = c.lat - centre.lat;
    const angle = Math.atan2(y, x);
    const i = Math.floor(((angle + Math.PI) / (2 * Math.PI)) * sectors) % sectors;
    const d = Math.hypot(x, y);
    if (d > best[i].d) {
      // Push the point out a little: communes' centres sit inland from the coast.
      const f = (d + margin) / d;
      best[i] = { d, p: [centre.lon + (x * f) / k, centre.lat + y * f] };
    }
  }
  return best.filter((b) => b.d >= 0).map((b) => b.p);
}

function perpendicular(p: Point, a: Point, b: Point): number {
  const [x, y] = p;
  const [x1, y1] = a;
  const [x2, y2] = b;
  const dx = x2 - x1;
  const dy = y2 - y1;
  const len = Math.hypot(dx, dy) || 1e-12;
  return Math.abs(dy * x - dx * y + x2 * y1 - y2 * x1) / len;
}

function simplify(points: Point[], tolerance: number): Point[] {
  if (points.length < 3) return points;
  let index = 0;
  let max = 0;
  for (let i = 1; i < points.length - 1; i++) {
    const d = perpendicular(points[i], points[0], points[points.length - 1]);
    if (d > max) {
      max = d;
      index = i;
    }
  }
  if (max <= tolerance) return [points[0], points[points.length - 1]];
  return [...simplify(points.slice(0, index + 1), tolerance).slice(0, -1), ...simplify(points.slice(index), tolerance)];
}

const ring = (points: Point[], tolerance: number) => {
  // A closed ring has no baseline: simplify its two halves, then close it.
  const half = Math.floor(points.length / 2);
  const simplified = [
    ...simplify(points.slice(0, half + 1), tolerance).slice(0, -1),
    ...simplify([...points.slice(half), points[0]], tolerance),
  ].map(([lon, lat]) => [Math.round(lon * 100) / 100, Math.round(lat * 100) / 100]);
  return simplified;
};

const geojson = {
  type: 'FeatureCollection',
  features: [
    {
      type: 'Feature',
      properties: { name: 'France métropolitaine' },
      geometry: {
        type: 'Polygon',
        coordinates: [ring(radialOutline(mainland, { lat: 46.6, lon: 2.45 }, 360, 0.04), 0.03)],
      },
    },
    {
      type: 'Feature',
      properties: { name: 'Corse' },
      geometry: {
        type: 'Polygon',
        coordinates: [ring(radialOutline(corsica, { lat: 42.15, lon: 9.1 }, 90, 0.03), 0.02)],
      },
    },
  ],
};
mkdirSync('public/geo', { recursive: true });
const text = JSON.stringify(geojson);
writeFileSync('public/geo/france.geojson', text);
console.log(
  `public/geo/france.geojson : ${geojson.features.map((f) => f.geometry.coordinates[0].length).join(' + ')} points, ` +
    `${(text.length / 1024).toFixed(1)} Ko`,
);
