import { describe, expect, it } from 'vitest';
import { createDisplayReads } from '../../server/places/index/display-reads.js';

interface Row {
  id: number;
  name: string;
}

const TODAY = 20_000;

/** A database of rows by id that records each query and answers when the test says so. */
function fakeDatabase(names: Record<number, string>) {
  const queries: number[][] = [];
  const pending: (() => void)[] = [];
  let failNext = false;
  const read = (ids: number[]) => {
    queries.push([...ids].sort((a, b) => a - b));
    const fail = failNext;
    failNext = false;
    return new Promise<Row[]>((resolve, reject) => {
      pending.push(() => {
        if (fail) reject(new Error('connexion perdue'));
        else resolve(ids.filter((id) => id in names).map((id) => ({ id, name: names[id] })));
      });
    });
  };
  return {
    read,
    queries,
    names,
    /** Answers every query sent so far. */
    answer: () => pending.splice(0).forEach((respond) => respond()),
    failNextQuery: () => (failNext = true),
  };
}

const turn = () => new Promise((resolve) => setImmediate(resolve));

function readsOver(database: ReturnType<typeof fakeDatabase>) {
  return createDisplayReads<Row>({ read: database.read, capacity: 100, maxAgeMs: 60_000 });
}

const namesOf = (rows: Map<number, Row>) => Object.fromEntries([...rows].map(([id, row]) => [id, row.name]));

describe('display rows read for several requests at once', () => {
  it('when three requests miss rows in the same turn, then one query reads each id once for all', async () => {
    const database = fakeDatabase({ 1: 'un', 2: 'deux', 3: 'trois', 4: 'quatre' });
    const reads = readsOver(database);

    const asked = [reads.displayed([1, 2], TODAY), reads.displayed([2, 3], TODAY), reads.displayed([4], TODAY)];
    await turn();
    database.answer();

    expect(database.queries).toEqual([[1, 2, 3, 4]]);
    expect((await Promise.all(asked)).map(namesOf)).toEqual([
      { 1: 'un', 2: 'deux' },
      { 2: 'deux', 3: 'trois' },
      { 4: 'quatre' },
    ]);
  });

  it('when rows are asked while a query runs, then they wait for one next query, not one each', async () => {
    const database = fakeDatabase({ 1: 'un', 2: 'deux', 3: 'trois' });
    const reads = readsOver(database);

    const first = reads.displayed([1], TODAY);
    await turn();
    const second = reads.displayed([2], TODAY);
    await turn();
    const third = reads.displayed([3], TODAY);
    await turn();
    expect(database.queries).toEqual([[1]]);

    database.answer();
    expect(namesOf(await first)).toEqual({ 1: 'un' });
    await turn();
    database.answer();

    expect(database.queries).toEqual([[1], [2, 3]]);
    expect(namesOf(await second)).toEqual({ 2: 'deux' });
    expect(namesOf(await third)).toEqual({ 3: 'trois' });
  });

  it('when a row was read a moment ago, then it comes from memory; once forgotten, it is read again', async () => {
    const database = fakeDatabase({ 1: 'un' });
    const reads = readsOver(database);
    const ask = async () => {
      const rows = reads.displayed([1], TODAY);
      await turn();
      database.answer();
      return namesOf(await rows);
    };

    await ask();
    database.names[1] = 'un, renommé';
    expect(await ask()).toEqual({ 1: 'un' });
    expect(database.queries).toHaveLength(1);

    reads.forget([1]);
    expect(await ask()).toEqual({ 1: 'un, renommé' });
    expect(database.queries).toHaveLength(2);
  });

  it('when a place changes while its row is being read, then what was read is shown once but not kept', async () => {
    const database = fakeDatabase({ 1: 'un' });
    const reads = readsOver(database);

    const rows = reads.displayed([1], TODAY);
    await turn();
    reads.forget([1]);
    database.answer();
    await rows;

    const again = reads.displayed([1], TODAY);
    await turn();
    database.answer();
    await again;
    expect(database.queries).toEqual([[1], [1]]);
  });

  it('when a deleted place is asked, then it is absent and the others are shown', async () => {
    const database = fakeDatabase({ 2: 'deux' });
    const reads = readsOver(database);

    const rows = reads.displayed([1, 2], TODAY);
    await turn();
    database.answer();

    expect(namesOf(await rows)).toEqual({ 2: 'deux' });
  });

  it('when the shared query fails, then every request of it gets the error and the next query still runs', async () => {
    const database = fakeDatabase({ 1: 'un', 2: 'deux' });
    const reads = readsOver(database);

    database.failNextQuery();
    const failed = [reads.displayed([1], TODAY), reads.displayed([2], TODAY)];
    await turn();
    database.answer();
    for (const rows of failed) await expect(rows).rejects.toThrow('connexion perdue');

    const retried = reads.displayed([1, 2], TODAY);
    await turn();
    database.answer();
    expect(namesOf(await retried)).toEqual({ 1: 'un', 2: 'deux' });
  });

  it('when every row is in memory, then no query is sent at all', async () => {
    const database = fakeDatabase({ 1: 'un' });
    const reads = readsOver(database);
    const first = reads.displayed([1], TODAY);
    await turn();
    database.answer();
    await first;

    expect(namesOf(await reads.displayed([1], TODAY))).toEqual({ 1: 'un' });
    await turn();
    expect(database.queries).toHaveLength(1);
  });

  it('when the shared query runs, then it runs through `detached` (outside the asking request)', async () => {
    const database = fakeDatabase({ 1: 'un' });
    let detachedRuns = 0;
    const reads = createDisplayReads<Row>({
      read: database.read,
      capacity: 100,
      maxAgeMs: 60_000,
      detached: (work) => {
        detachedRuns++;
        return work();
      },
    });

    const rows = reads.displayed([1], TODAY);
    await turn();
    database.answer();
    await rows;
    expect(detachedRuns).toBe(1);
  });
});
