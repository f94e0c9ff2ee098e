import { describe, expect, it } from 'vitest';
import { type Lever, parseLever } from '../levers/lever.ts';
import { leverMatches } from './levers.ts';

function lever(text: string): Lever {
  const parsed = parseLever(text);
  if (!parsed.ok) throw new Error(parsed.error);
  return parsed.lever;
}

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
