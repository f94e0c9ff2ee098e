import { describe, expect, it } from 'vitest';
import { CircuitBreaker, type CircuitState } from './payments-circuit-breaker.ts';

function breaker() {
  let now = 0;
  const changes: Array<[CircuitState, CircuitState]> = [];
  const b = new CircuitBreaker({ failureThreshold: 3, openMs: 1_000, now: () => now, onStateChange: (to, from) => changes.push([from, to]) });
  return { b, changes, advance: (ms: number) => (now += ms) };
}

describe('CircuitBreaker', () => {
  it('when failures are not consecutive, then the circuit stays closed', () => {
    const { b } = breaker();
    b.recordFailure();
    b.recordFailure();
    b.recordSuccess();
    b.recordFailure();
    b.recordFailure();
    expect(b.state).toBe('closed');
    expect(b.tryAcquire()).toBe(true);
  });

  it('when the threshold of failures in a row is reached, then calls fail fast until the open period ends, then one probe goes through', () => {
    const { b, changes, advance } = breaker();
    for (let i = 0; i < 3; i++) b.recordFailure();
    expect(b.state).toBe('open');
    expect(b.tryAcquire()).toBe(false);
    advance(999);
    expect(b.tryAcquire()).toBe(false);
    advance(1);
    expect(b.tryAcquire()).toBe(true);
    expect(b.state).toBe('half_open');
    // Only one probe at a time.
    expect(b.tryAcquire()).toBe(false);
    b.recordSuccess();
    expect(b.state).toBe('closed');
    expect(changes).toEqual([
      ['closed', 'open'],
      ['open', 'half_open'],
      ['half_open', 'closed'],
    ]);
  });

  it('when the probe fails, then the circuit opens again for a whole open period', () => {
    const { b, advance } = breaker();
    for (let i = 0; i < 3; i++) b.recordFailure();
    advance(1_000);
    expect(b.tryAcquire()).toBe(true);
    b.recordFailure();
    expect(b.state).toBe('open');
    expect(b.retryInMs).toBe(1_000);
  });

  it('when reset (the flag turned off), then it is closed with nothing counted', () => {
    const { b } = breaker();
    for (let i = 0; i < 3; i++) b.recordFailure();
    b.reset();
    expect(b.state).toBe('closed');
    b.recordFailure();
    b.recordFailure();
    expect(b.state).toBe('closed');
  });
});
