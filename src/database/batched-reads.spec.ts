import { jest } from '@jest/globals';
import { batchedRead } from './batched-reads.js';

/** A load whose batches the test finishes by hand, recording what each was asked. */
function controlledLoad() {
  const batches: { keys: number[]; finish: (error?: Error) => void }[] = [];
  const load = (keys: readonly number[]) =>
    new Promise<(number | Error)[]>((resolve, reject) => {
      batches.push({
        keys: [...keys],
        finish: (error) => (error ? reject(error) : resolve(keys.map((k) => (k < 0 ? new Error(`no ${k}`) : k * 10)))),
      });
    });
  return { batches, load };
}

const turn = () => new Promise((r) => setImmediate(r));

describe('batchedRead', () => {
  it('sends the keys asked in one turn as one batch, and answers each caller its own value', async () => {
    const { batches, load } = controlledLoad();
    const read = batchedRead(load);
    const answers = Promise.all([read(1), read(2), read(2)]);
    await turn();
    expect(batches.map((b) => b.keys)).toEqual([[1, 2, 2]]);
    batches[0].finish();
    await expect(answers).resolves.toEqual([10, 20, 20]);
  });

  it('while its slots are busy, collects the callers that come meanwhile into the next batch', async () => {
    const { batches, load } = controlledLoad();
    const read = batchedRead(load, { inFlight: 1 });
    const first = read(1);
    await turn();
    const later = [read(2), read(3)];
    await turn();
    await turn();
    // Still one batch out: the second waits, and fills, until the first is answered.
    expect(batches.map((b) => b.keys)).toEqual([[1]]);
    batches[0].finish();
    await expect(first).resolves.toBe(10);
    await turn();
    expect(batches.map((b) => b.keys)).toEqual([[1], [2, 3]]);
    batches[1].finish();
    await expect(Promise.all(later)).resolves.toEqual([20, 30]);
  });

  it('never answers a caller from a batch sent before its call (no cache)', async () => {
    const { batches, load } = controlledLoad();
    const read = batchedRead(load, { inFlight: 2 });
    const a = read(1);
    await turn();
    const b = read(1);
    await turn();
    expect(batches.map((x) => x.keys)).toEqual([[1], [1]]);
    batches[1].finish();
    batches[0].finish();
    await expect(Promise.all([a, b])).resolves.toEqual([10, 10]);
  });

  it('fails only the key the load answered with an error; a failed load fails its whole batch, and the next batch still goes', async () => {
    const { batches, load } = controlledLoad();
    const read = batchedRead(load, { inFlight: 1 });
    const good = read(4);
    const bad = read(-1);
    await turn();
    batches[0].finish();
    await expect(good).resolves.toBe(40);
    await expect(bad).rejects.toThrow('no -1');

    const lost = [read(5), read(6)];
    await turn();
    batches[1].finish(new Error('connection terminated'));
    for (const p of lost) await expect(p).rejects.toThrow('connection terminated');

    const after = read(7);
    await turn();
    batches[2].finish();
    await expect(after).resolves.toBe(70);
  });

  it('splits a crowd into batches of at most maxBatchSize', async () => {
    const { batches, load } = controlledLoad();
    const read = batchedRead(load, { inFlight: 4, maxBatchSize: 3 });
    const answers = Promise.all([1, 2, 3, 4, 5, 6, 7].map(read));
    await turn();
    expect(batches.map((b) => b.keys)).toEqual([[1, 2, 3], [4, 5, 6], [7]]);
    for (const b of batches) b.finish();
    await expect(answers).resolves.toEqual([10, 20, 30, 40, 50, 60, 70]);
  });

  it('lets the next batch go when one is out longer than slowMs (a stuck connection does not stop every read)', async () => {
    const { batches, load } = controlledLoad();
    // The clock is the test's: the slow-batch timer fires exactly when told to, however busy the machine.
    jest.useFakeTimers({ doNotFake: ['setImmediate', 'nextTick', 'queueMicrotask'] });
    try {
      const read = batchedRead(load, { inFlight: 1, slowMs: 20 });
      const stuck = read(1);
      await turn();
      const next = read(2);
      await turn();
      jest.advanceTimersByTime(19);
      await turn();
      expect(batches.map((b) => b.keys)).toEqual([[1]]);
      jest.advanceTimersByTime(1);
      await turn();
      expect(batches.map((b) => b.keys)).toEqual([[1], [2]]);
      batches[1].finish();
      await expect(next).resolves.toBe(20);
      batches[0].finish();
      await expect(stuck).resolves.toBe(10);
    } finally {
      jest.useRealTimers();
    }
  });
});
