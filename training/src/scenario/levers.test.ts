import { describe, expect, it } from 'vitest';
import { type Lever, leverMatches, parseLever } from './levers.ts';

function lever(text: string): Lever {
  const parsed = parseLever(text);
  if ('error' in parsed) throw new Error(parsed.error);
  return parsed.lever;
}

describe('parseLever', () => {
  it('when given each form of the design, then it parses to the lever', () => {
    expect(lever('rollback payments')).toEqual({ kind: 'rollback', service: 'payments' });
    expect(lever('restart  api')).toEqual({ kind: 'restart', service: 'api' });
    expect(lever('deploy api 2.3.0')).toEqual({ kind: 'deploy', service: 'api', version: '2.3.0' });
    expect(lever('flag payments.fraud-check false')).toEqual({ kind: 'flag', name: 'payments.fraud-check', value: false });
    expect(lever('flag api.payment-retries 3')).toEqual({ kind: 'flag', name: 'api.payment-retries', value: 3 });
    expect(lever('failover payments')).toEqual({ kind: 'failover', service: 'payments' });
    expect(lever('scale worker 3')).toEqual({ kind: 'scale', service: 'worker', count: 3 });
    expect(lever('dead-letter poison')).toEqual({ kind: 'dead-letter', jobId: 'poison' });
    expect(lever('end-db-sessions')).toEqual({ kind: 'end-db-sessions' });
    expect(lever('redis-maxmemory 256')).toEqual({ kind: 'redis-maxmemory', mb: 256 });
    expect(lever('redis-delete batch:*')).toEqual({ kind: 'redis-delete', pattern: 'batch:*' });
  });

  it('when a lever is malformed, then the error says which form was expected', () => {
    expect(parseLever('restart postgres')).toEqual({ error: '"restart postgres" is not a lever: expected "restart <api|payments|worker>"' });
    expect(parseLever('scale api 3')).toEqual({ error: '"scale api 3" is not a lever: expected "scale worker <1-16>"' });
    expect(parseLever('scale worker 0')).toHaveProperty('error');
    expect(parseLever('deploy api latest')).toHaveProperty('error');
    expect(parseLever('end-db-sessions now')).toHaveProperty('error');
    expect(parseLever('flag api.payment-retries many')).toEqual({
      error: '"flag api.payment-retries many": flag api.payment-retries takes a whole number, not "many"',
    });
    expect(parseLever('flag api.unknown true')).toEqual({ error: '"flag api.unknown true": unknown flag "api.unknown"' });
  });
});

describe('leverMatches', () => {
  it('when the applied lever equals the listed one, then it matches; another service does not', () => {
    expect(leverMatches(lever('rollback payments'), lever('rollback payments'))).toBe(true);
    expect(leverMatches(lever('rollback payments'), lever('rollback api'))).toBe(false);
    expect(leverMatches(lever('rollback api'), lever('restart api'))).toBe(false);
  });

  it('when failover is listed, then switching the secondary gateway on by flag matches, and off does not', () => {
    expect(leverMatches(lever('failover payments'), lever('flag payments.secondary-gateway true'))).toBe(true);
    expect(leverMatches(lever('flag payments.secondary-gateway true'), lever('failover payments'))).toBe(true);
    expect(leverMatches(lever('failover payments'), lever('flag payments.secondary-gateway false'))).toBe(false);
  });

  it('when scaling or raising maxmemory, then at least the listed figure matches and less does not', () => {
    expect(leverMatches(lever('scale worker 2'), lever('scale worker 4'))).toBe(true);
    expect(leverMatches(lever('scale worker 2'), lever('scale worker 1'))).toBe(false);
    expect(leverMatches(lever('redis-maxmemory 256'), lever('redis-maxmemory 512'))).toBe(true);
    expect(leverMatches(lever('redis-maxmemory 256'), lever('redis-maxmemory 128'))).toBe(false);
  });

  it('when "dead-letter poison" is listed, then only dead-lettering one of the run\'s poison jobs matches', () => {
    const context = { poisonJobIds: ['legacy-f1'] };
    expect(leverMatches(lever('dead-letter poison'), lever('dead-letter legacy-f1'), context)).toBe(true);
    expect(leverMatches(lever('dead-letter poison'), lever('dead-letter order-42'), context)).toBe(false);
    expect(leverMatches(lever('dead-letter poison'), lever('dead-letter legacy-f1'))).toBe(false);
  });
});
