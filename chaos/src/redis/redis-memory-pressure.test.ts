import { describe, expect, it } from 'vitest';
import { faultSpec } from '../faults/catalogue.ts';
import { redisMemoryPressureRefusal } from './redis-memory-pressure.ts';
import { classRedisSetting, createRedisServers } from './redis-servers.ts';

const spec = (body: Record<string, unknown>) => faultSpec.parse(body);
const single = createRedisServers('redis://lab:secret@127.0.0.1:7420');
const klass = createRedisServers('redis://lab:secret@127.0.0.1:7420', { blue: 'redis://127.0.0.1:7520', green: 'redis://127.0.0.1:7620' });

describe('when redis-memory-pressure may be injected', () => {
  it('when it names no team and none is active, then it may (a single lab)', () => {
    expect(redisMemoryPressureRefusal(spec({ family: 'redis-memory-pressure' }), [], single)).toBeUndefined();
  });

  it("when it names a class's team, then it may: that team's Redis is its own", () => {
    expect(redisMemoryPressureRefusal(spec({ family: 'redis-memory-pressure', team: 'blue' }), [], klass)).toBeUndefined();
  });

  it('when one is already active on the same server, then the second is refused naming the first; on another team’s server it may', () => {
    const active = [{ id: 'flt_1', spec: spec({ family: 'redis-memory-pressure' }) }];
    expect(redisMemoryPressureRefusal(spec({ family: 'redis-memory-pressure', mode: 'limit' }), active, single)).toBe(
      'A redis-memory-pressure fault is already active (flt_1); clear it first',
    );
    const blues = [{ id: 'flt_2', spec: spec({ family: 'redis-memory-pressure', team: 'blue' }) }];
    expect(redisMemoryPressureRefusal(spec({ family: 'redis-memory-pressure', team: 'blue' }), blues, klass)).toBe(
      "A redis-memory-pressure fault is already active on team blue's Redis (flt_2); clear it first",
    );
    expect(redisMemoryPressureRefusal(spec({ family: 'redis-memory-pressure', team: 'green' }), blues, klass)).toBeUndefined();
  });

  it('when another family names a team, then this rule has nothing to say', () => {
    expect(redisMemoryPressureRefusal(spec({ family: 'latency', target: 'payments', ms: 100, team: 'blue' }), [], klass)).toBeUndefined();
  });
});

describe("the lab's Redis servers as the controller reaches them", () => {
  it("reaches a team's server at its address with the lab's user and password, none for no team or a team without a shop; the single lab's at REDIS_ADMIN_URL", () => {
    expect(klass.urlOf(klass.keyOf('green')!)).toBe('redis://lab:secret@127.0.0.1:7620');
    expect(klass.keyOf(undefined)).toBeUndefined();
    expect(klass.keyOf('red')).toBeUndefined();
    expect(single.urlOf(single.keyOf('blue')!)).toBe('redis://lab:secret@127.0.0.1:7420');
  });

  it("reads each team's redis from CLASS_SHOPS, ignoring training's fields, and names what is wrong", () => {
    const shops = { blue: { api: 'http://127.0.0.1:7500', database: 'shop_blue', redis: 'redis://127.0.0.1:7520' } };
    expect(classRedisSetting.parse(JSON.stringify(shops))).toEqual({ blue: 'redis://127.0.0.1:7520' });
    expect(classRedisSetting.parse(undefined)).toEqual({});
    expect(classRedisSetting.safeParse('{nope').error?.issues[0]?.message).toContain('must be JSON');
    expect(classRedisSetting.safeParse(JSON.stringify({ blue: { api: 'x' } })).error?.issues[0]?.message).toMatch(/^CLASS_SHOPS: blue\.redis/);
  });
});
