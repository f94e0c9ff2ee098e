import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createRunStatusWatch, type FetchStatus } from './run-status-watch.ts';

/** A training API stand-in: answers each status ask with the run's current text and records who asked. */
function fakeTraining() {
  const asks: Array<{ runId: string; token: string }> = [];
  const status = new Map<string, string>();
  let hold: Promise<void> | undefined;
  const fetchStatus: FetchStatus = async (runId, token) => {
    asks.push({ runId, token });
    if (hold) await hold;
    return status.get(runId);
  };
  return {
    asks,
    status,
    fetchStatus,
    /** Keeps the next asks unanswered until release() is called. */
    holdAnswers() {
      let release!: () => void;
      hold = new Promise((resolve) => {
        release = resolve;
      });
      return () => {
        hold = undefined;
        release();
      };
    },
  };
}

describe('the shared run status poller', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('when ten browsers of one view watch a run, then it is asked once a tick and each browser gets every change once', async () => {
    const training = fakeTraining();
    const watch = createRunStatusWatch({ fetchStatus: training.fetchStatus, everyMs: 1000 });
    const received = Array.from({ length: 10 }, () => [] as string[]);
    const subscriptions = received.map((list, i) => watch.join('run-1', 'trainee:blue', `token-${i}`, (text) => list.push(text)));
    expect(watch.pollers()).toBe(1);

    training.status.set('run-1', '{"firingAlerts":[]}');
    await vi.advanceTimersByTimeAsync(1000);
    await vi.advanceTimersByTimeAsync(1000);
    training.status.set('run-1', '{"firingAlerts":["PaymentsSlow"]}');
    await vi.advanceTimersByTimeAsync(1000);

    expect(training.asks).toHaveLength(3);
    for (const list of received) expect(list).toEqual(['{"firingAlerts":[]}', '{"firingAlerts":["PaymentsSlow"]}']);
    for (const s of subscriptions) s.leave();
  });

  it('when the instructor and a trainee watch the same run, then each view has its own poller asking with its own token', async () => {
    const training = fakeTraining();
    const watch = createRunStatusWatch({ fetchStatus: training.fetchStatus, everyMs: 1000 });
    training.status.set('run-1', '{}');
    const a = watch.join('run-1', 'instructor:', 'instructor-token', () => {});
    const b = watch.join('run-1', 'trainee:blue', 'grace-token', () => {});
    expect(watch.pollers()).toBe(2);
    await vi.advanceTimersByTimeAsync(1000);
    expect(training.asks.map((ask) => ask.token).sort()).toEqual(['grace-token', 'instructor-token']);
    a.leave();
    b.leave();
  });

  it('when an event nudges it, then it asks at once rather than at the next tick', async () => {
    const training = fakeTraining();
    const watch = createRunStatusWatch({ fetchStatus: training.fetchStatus, everyMs: 1000 });
    const received: string[] = [];
    const s = watch.join('run-1', 'trainee:blue', 'grace-token', (text) => received.push(text));
    training.status.set('run-1', '{"firingAlerts":["PaymentsSlow"]}');
    s.nudge();
    await vi.advanceTimersByTimeAsync(0);
    expect(received).toEqual(['{"firingAlerts":["PaymentsSlow"]}']);
    s.leave();
  });

  it('when nudged while an ask is unanswered, then it asks exactly once more after it, so a change in between is not missed', async () => {
    const training = fakeTraining();
    const watch = createRunStatusWatch({ fetchStatus: training.fetchStatus, everyMs: 60_000 });
    const received: string[] = [];
    const s = watch.join('run-1', 'trainee:blue', 'grace-token', (text) => received.push(text));
    training.status.set('run-1', 'first');
    const release = training.holdAnswers();
    s.nudge();
    s.nudge();
    s.nudge();
    training.status.set('run-1', 'second');
    release();
    await vi.advanceTimersByTimeAsync(0);
    expect(training.asks).toHaveLength(2);
    expect(received).toEqual(['second']);
    s.leave();
  });

  it('when the browser whose token it asks with leaves, then it asks with another one, and stops once the last leaves', async () => {
    const training = fakeTraining();
    const watch = createRunStatusWatch({ fetchStatus: training.fetchStatus, everyMs: 1000 });
    training.status.set('run-1', '{}');
    const first = watch.join('run-1', 'trainee:blue', 'grace-token', () => {});
    const second = watch.join('run-1', 'trainee:blue', 'alan-token', () => {});
    await vi.advanceTimersByTimeAsync(1000);
    first.leave();
    first.leave(); // twice is harmless
    await vi.advanceTimersByTimeAsync(1000);
    expect(training.asks.map((ask) => ask.token)).toEqual(['grace-token', 'alan-token']);
    second.leave();
    expect(watch.pollers()).toBe(0);
    await vi.advanceTimersByTimeAsync(5000);
    expect(training.asks).toHaveLength(2);
  });

  it('when the training API fails an ask, then the browsers get nothing and the next tick asks again', async () => {
    const watch = createRunStatusWatch({
      fetchStatus: vi.fn<FetchStatus>().mockRejectedValueOnce(new Error('ECONNREFUSED')).mockResolvedValue('{"state":"live"}'),
      everyMs: 1000,
    });
    const received: string[] = [];
    const s = watch.join('run-1', 'trainee:blue', 'grace-token', (text) => received.push(text));
    await vi.advanceTimersByTimeAsync(1000);
    expect(received).toEqual([]);
    await vi.advanceTimersByTimeAsync(1000);
    expect(received).toEqual(['{"state":"live"}']);
    s.leave();
  });
});
