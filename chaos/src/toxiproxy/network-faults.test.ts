import { describe, expect, it } from 'vitest';
import { testFault as fault } from '../controller/fault.fixture.ts';
import { desiredProxyState, proxiedStoreOf } from './network-faults.ts';

describe('desiredProxyState', () => {
  it('when there are no faults, then the proxy is enabled with no toxics', () => {
    expect(desiredProxyState('postgres', [])).toEqual({ enabled: true, toxics: [] });
  });

  it('when the database is refused, then only the postgres proxy is disabled', () => {
    const faults = [fault('a', { family: 'database-loss', mode: 'refused' })];
    expect(desiredProxyState('postgres', faults).enabled).toBe(false);
    expect(desiredProxyState('redis', faults)).toEqual({ enabled: true, toxics: [] });
  });

  it('when redis is black-holed, then both directions swallow data until cleared', () => {
    const state = desiredProxyState('redis', [fault('b', { family: 'redis-loss', mode: 'blackhole' })]);
    expect(state.toxics).toEqual([
      { name: 'fd_b_upstream', type: 'timeout', stream: 'upstream', attributes: { timeout: 0 } },
      { name: 'fd_b_downstream', type: 'timeout', stream: 'downstream', attributes: { timeout: 0 } },
    ]);
  });

  it('when connections are reset or slowed, then each fault owns its named toxic', () => {
    const state = desiredProxyState('postgres', [
      fault('c', { family: 'database-loss', mode: 'reset' }),
      fault('d', { family: 'database-loss', mode: 'slow', ms: 250 }),
    ]);
    expect(state.toxics).toEqual([
      { name: 'fd_c_upstream', type: 'reset_peer', stream: 'upstream', attributes: { timeout: 0 } },
      { name: 'fd_d_downstream', type: 'latency', stream: 'downstream', attributes: { latency: 250, jitter: 0 } },
    ]);
  });

  it('when a class runs, then a team’s network fault acts on that team’s proxy only', () => {
    const faults = [fault('e', { family: 'database-loss', mode: 'refused', team: 'blue' })];
    expect(desiredProxyState('blue-postgres', faults).enabled).toBe(false);
    expect(desiredProxyState('green-postgres', faults)).toEqual({ enabled: true, toxics: [] });
    // A team's fault is not the single shop's either, nor the reverse.
    expect(desiredProxyState('postgres', faults)).toEqual({ enabled: true, toxics: [] });
    expect(desiredProxyState('blue-postgres', [fault('f', { family: 'database-loss', mode: 'refused' })]).enabled).toBe(true);
  });

  it('reads a proxy name as the store it leads to and its team', () => {
    expect(proxiedStoreOf('redis')).toEqual({ store: 'redis', team: undefined });
    expect(proxiedStoreOf('green-redis')).toEqual({ store: 'redis', team: 'green' });
    expect(proxiedStoreOf('kafka')).toBeUndefined();
    expect(proxiedStoreOf('Blue-postgres')).toBeUndefined();
  });
});
