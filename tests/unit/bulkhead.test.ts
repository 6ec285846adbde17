import { describe, expect, it } from 'vitest';
import { createBulkhead } from '../../server/shared/bulkhead.js';
import { ServiceUnavailableError } from '../../server/http/errors.js';

describe('a bulkhead: a few pieces of work at once, the next wait a bounded time', () => {
  const gate = () => {
    let open = () => {};
    const opened = new Promise<void>((resolve) => (open = resolve));
    return { opened, open };
  };

  it('when the slots are taken, then the next waits and starts, in order, as soon as one frees', async () => {
    const bulkhead = createBulkhead({ slots: 2, maxWaitMs: 1000, message: 'occupé' });
    const gates = [gate(), gate(), gate(), gate()];
    const started: number[] = [];
    const runs = gates.map((g, i) =>
      bulkhead.run(async () => {
        started.push(i);
        await g.opened;
        return i;
      }),
    );
    await new Promise((resolve) => setImmediate(resolve));
    expect(started).toEqual([0, 1]);
    expect(bulkhead.state).toEqual({ running: 2, waiting: 2 });
    gates[1].open();
    await runs[1];
    await new Promise((resolve) => setImmediate(resolve));
    expect(started).toEqual([0, 1, 2]);
    for (const g of gates) g.open();
    expect(await Promise.all(runs)).toEqual([0, 1, 2, 3]);
    expect(bulkhead.state).toEqual({ running: 0, waiting: 0 });
  });

  it('when a wait outlasts its bound, then 503 and out of the queue; a failed run frees its slot', async () => {
    const bulkhead = createBulkhead({ slots: 1, maxWaitMs: 20, message: 'occupé' });
    const held = gate();
    const first = bulkhead.run(() => held.opened);
    const error = await bulkhead.run(() => Promise.resolve('jamais')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ServiceUnavailableError);
    expect(error).toMatchObject({ status: 503, message: 'occupé', retryAfterSeconds: 1 });
    expect(bulkhead.state).toEqual({ running: 1, waiting: 0 });
    held.open();
    await first;
    await expect(bulkhead.run(() => Promise.reject(new Error('panne')))).rejects.toThrow('panne');
    expect(bulkhead.state).toEqual({ running: 0, waiting: 0 });
  });
});
