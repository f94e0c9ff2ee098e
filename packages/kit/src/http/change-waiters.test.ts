import { describe, expect, it } from 'vitest';
import { createChangeWaiters } from './change-waiters.ts';

/** Which of the held waits have resolved so far. */
function settled(promises: Promise<void>[]): Promise<boolean[]> {
  return Promise.all(promises.map((p) => Promise.race([p.then(() => true), new Promise<boolean>((r) => setImmediate(() => r(false)))])));
}

describe('change waiters (the held side of a long poll)', () => {
  it('when the reader has not seen the current version, then the wait resolves at once', async () => {
    await expect(settled([createChangeWaiters().wait(2, 1, 60_000)])).resolves.toEqual([true]);
  });

  it('when the reader is up to date, then the wait is held until wakeAll releases every held wait', async () => {
    const waiters = createChangeWaiters();
    const held = [waiters.wait(5, 5, 60_000), waiters.wait(5, 5, 60_000)];
    expect(await settled(held)).toEqual([false, false]);
    waiters.wakeAll();
    expect(await settled(held)).toEqual([true, true]);
  });

  it('when its time runs out or its request goes away, then a held wait resolves by itself', async () => {
    const waiters = createChangeWaiters();
    const timedOut = waiters.wait(1, 1, 20);
    const gone = new AbortController();
    const aborted = waiters.wait(1, 1, 60_000, gone.signal);
    gone.abort();
    await timedOut;
    expect(await settled([aborted])).toEqual([true]);
  });
});
