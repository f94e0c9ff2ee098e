import { describe, expect, it } from 'vitest';
import { faultSpec } from '../faults/catalogue.ts';
import { redisMemoryPressureRefusal, teamFaultRefusal } from './redis-memory-pressure.ts';

const spec = (body: Record<string, unknown>) => faultSpec.parse(body);

describe('when redis-memory-pressure may be injected', () => {
  it('when it names no team and none is active, then it may (a single lab, or the instructor pressing every team at once)', () => {
    expect(redisMemoryPressureRefusal(spec({ family: 'redis-memory-pressure' }), [])).toBeUndefined();
  });

  it("when it names a class's team, then it is refused: the one Redis is every team's", () => {
    expect(redisMemoryPressureRefusal(spec({ family: 'redis-memory-pressure', team: 'blue' }), [])).toMatch(
      /every team of the class shares: it cannot be for team blue only/,
    );
  });

  it('when one is already active, then the second is refused naming the first', () => {
    const active = [{ id: 'flt_1', spec: spec({ family: 'redis-memory-pressure' }) }];
    expect(redisMemoryPressureRefusal(spec({ family: 'redis-memory-pressure', mode: 'limit' }), active)).toBe(
      'A redis-memory-pressure fault is already active (flt_1); clear it first',
    );
  });

  it('when another family names a team, then this rule has nothing to say', () => {
    expect(redisMemoryPressureRefusal(spec({ family: 'latency', target: 'payments', ms: 100, team: 'blue' }), [])).toBeUndefined();
  });

  it("when training asks whether a run's fault can be one team's, then the same rule answers: redis-memory-pressure cannot, the others can", () => {
    expect(teamFaultRefusal({ family: 'redis-memory-pressure', team: 'green' })).toMatch(/cannot be for team green only/);
    expect(teamFaultRefusal({ family: 'redis-memory-pressure' })).toBeUndefined();
    expect(teamFaultRefusal({ family: 'latency', team: 'green' })).toBeUndefined();
  });
});
