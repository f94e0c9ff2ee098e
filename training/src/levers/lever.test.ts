import { describe, expect, it } from 'vitest';
import { formatLever, parseLever, rolesFor, type Lever } from './lever.ts';

const parsed = (text: string): Lever => {
  const result = parseLever(text);
  if (!result.ok) throw new Error(`"${text}" was refused: ${result.error}`);
  return result.lever;
};
const refusal = (text: string): string => {
  const result = parseLever(text);
  if (result.ok) throw new Error(`"${text}" was accepted as ${JSON.stringify(result.lever)}`);
  return result.error;
};

describe('parseLever', () => {
  it.each<[string, Lever]>([
    ['rollback payments', { kind: 'rollback', service: 'payments' }],
    ['restart api', { kind: 'restart', service: 'api' }],
    ['deploy payments 2.4.0', { kind: 'deploy', service: 'payments', version: '2.4.0' }],
    ['deploy worker 2.4.0-rc.1', { kind: 'deploy', service: 'worker', version: '2.4.0-rc.1' }],
    ['flag payments.fraud-check false', { kind: 'flag', flag: 'payments.fraud-check', value: false }],
    ['flag api.payment-timeout-ms 1500', { kind: 'flag', flag: 'api.payment-timeout-ms', value: 1500 }],
    ['failover payments', { kind: 'failover', service: 'payments' }],
    ['scale worker 3', { kind: 'scale', service: 'worker', count: 3 }],
    ['dead-letter poison', { kind: 'dead-letter', jobId: 'poison' }],
    ['end-db-sessions', { kind: 'end-db-sessions' }],
    ['redis-maxmemory 256', { kind: 'redis-maxmemory', megabytes: 256 }],
    ['redis-delete batch:*', { kind: 'redis-delete', pattern: 'batch:*' }],
    ['  scale   worker  2 ', { kind: 'scale', service: 'worker', count: 2 }],
  ])('when a scenario names "%s", then it is that lever, and it is written back the same way', (text, lever) => {
    expect(parsed(text)).toEqual(lever);
    expect(parseLever(formatLever(lever))).toEqual({ ok: true, lever });
  });

  it.each([
    ['', /no lever given/],
    ['reboot api', /no lever "reboot"/],
    ['restart postgres', /no service "postgres"/],
    ['restart', /takes 1 argument, got 0/],
    ['rollback api payments', /takes 1 argument, got 2/],
    ['deploy payments latest', /semantic version/],
    ['flag payments.fraud-check maybe', /boolean flag/],
    ['flag api.payment-retries 0', /api\.payment-retries/],
    ['flag api.payment-timeout-ms 1.5', /whole number/],
    ['flag no.such-flag true', /no flag "no.such-flag"/],
    ['failover api', /only payments fails over/],
    ['scale api 2', /only the worker scales/],
    ['scale worker 0', /1 to 8/],
    ['scale worker 9', /1 to 8/],
    ['scale worker two', /1 to 8/],
    ['dead-letter job/../x', /not a job id/],
    ['end-db-sessions now', /takes 0 arguments/],
    ['redis-maxmemory 1', /16 to 16384/],
    ['redis-maxmemory 1e3', /16 to 16384/],
  ])('when a lever is written "%s", then it is refused saying why', (text, why) => {
    expect(refusal(text)).toMatch(why);
  });
});

describe('rolesFor', () => {
  it('when the lever is a deploy, then only the instructor may pull it', () => {
    expect(rolesFor(parsed('deploy payments 2.4.0'))).toEqual(['instructor']);
  });

  it.each(['rollback payments', 'restart api', 'flag api.degraded-mode true', 'scale worker 2', 'dead-letter x', 'end-db-sessions', 'redis-delete a*'])(
    'when the lever is "%s", then an operator and the instructor may pull it, and an agent may not',
    (text) => {
      const allowed = rolesFor(parsed(text));
      expect(allowed).toEqual(expect.arrayContaining(['operator', 'instructor']));
      expect(allowed).not.toContain('agent');
    },
  );
});
