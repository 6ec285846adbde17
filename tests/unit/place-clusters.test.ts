import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { createPlaceClusters } from '../../server/places/index/place-clusters.js';
import { PlaceStore, type IndexedPlaceRow } from '../../server/places/index/place-store.js';
import { indexedRow } from '../support/index-rows.js';

const row = (id: number, lat: number, lon: number) => indexedRow(id, lat, lon);

/** The part of the place index the clusters read, changed by hand. */
function fakeIndex(rows: IndexedPlaceRow[]) {
  const store = new PlaceStore();
  for (const r of rows) store.upsert(r);
  const index = {
    store,
    version: 1,
    get size() {
      return store.size;
    },
    add(r: IndexedPlaceRow) {
      store.upsert(r);
      index.version++;
    },
  };
  return index;
}

const martigues = { minLon: 4.9, minLat: 43.3, maxLon: 5.2, maxLat: 43.5 };
const idsIn = (features: { kind: string; id?: number }[]) =>
  features.flatMap((f) => (f.kind === 'place' ? [f.id] : []));

describe('the map clusters, built in a worker thread', () => {
  it('when a small set changes, then the next answer waits for the new clusters and shows the change', async () => {
    const index = fakeIndex([row(1, 43.4, 5.05)]);
    const clusters = createPlaceClusters(index);
    try {
      expect(idsIn(await clusters.inBox(martigues, 16))).toEqual([1]);
      index.add(row(2, 43.45, 5.1));
      expect(idsIn(await clusters.inBox(martigues, 16)).sort()).toEqual([1, 2]);
    } finally {
      clusters.stop();
    }
  });

  it('when a large set changes, then answers come from the old clusters until the new ones are built', async () => {
    const index = fakeIndex([row(1, 43.4, 5.05)]);
    const clusters = createPlaceClusters(index, () => {}, { rebuildInlineUpTo: 0, rebuildDelayMs: 50 });
    try {
      expect(idsIn(await clusters.inBox(martigues, 16))).toEqual([1]);
      index.add(row(2, 43.45, 5.1));
      // Stale but answered at once from what was built before the change.
      expect(idsIn(await clusters.inBox(martigues, 16))).toEqual([1]);
      let shown: number[] = [];
      for (let attempt = 0; attempt < 100 && shown.length < 2; attempt++) {
        await sleep(50);
        shown = idsIn(await clusters.inBox(martigues, 16)) as number[];
      }
      expect(shown.sort()).toEqual([1, 2]);
    } finally {
      clusters.stop();
    }
  });
});
