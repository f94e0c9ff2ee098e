import { HttpProblem } from '@firedrill/kit';
import { describe, expect, it } from 'vitest';
import type { Probe } from '../scenario/scenario-schema.ts';
import { classShopsSetting, createShopDirectory, probesForTeam } from './team-shops.ts';
import { singleShopSettings, twoTeamClassShops } from './team-shops.fixture.ts';

const single = singleShopSettings;
const classShops = twoTeamClassShops;

describe('the shop a run or a lever acts on', () => {
  it('in a single lab, is the one shop whatever team is named (key "", process names as they are)', () => {
    const shops = createShopDirectory(single);
    for (const team of [null, 'blue', 'anything']) {
      const shop = shops.shopFor(team);
      expect(shop).toMatchObject({
        team: null,
        key: '',
        apiUrl: single.apiUrl,
        adminDatabaseUrl: single.adminDatabaseUrl,
        queuePrefix: 'firedrill',
        adminRedisUrl: single.adminRedisUrl,
      });
      expect(shop.processName('api')).toBe('api');
    }
    expect(shops.isClass).toBe(false);
    expect(shops.all()).toHaveLength(1);
  });

  it("in a class, is the team's own: its urls, its database on the same server and user, its queue prefix, its own Redis as the lab's user, its processes", () => {
    const shops = createShopDirectory(single, classShops);
    const green = shops.shopFor('green');
    expect(green).toMatchObject({
      team: 'green',
      key: 'green',
      apiUrl: 'http://127.0.0.1:7600',
      paymentsUrl: 'http://127.0.0.1:7601',
      adminDatabaseUrl: 'postgres://postgres:secret@127.0.0.1:7410/shop_green',
      queuePrefix: 'firedrill-green',
      adminRedisUrl: 'redis://lab:secret@127.0.0.1:7620',
    });
    expect(green.processName('worker')).toBe('green-worker');
    expect(shops.all().map((s) => s.team)).toEqual(['blue', 'green']);
  });

  it('in a class, refuses no team or a team without a shop with a 400 naming the teams', () => {
    const shops = createShopDirectory(single, classShops);
    for (const team of [null, 'red']) {
      let caught: unknown;
      try {
        shops.shopFor(team);
      } catch (err) {
        caught = err;
      }
      expect(caught).toBeInstanceOf(HttpProblem);
      expect((caught as HttpProblem).status).toBe(400);
      expect((caught as HttpProblem).message).toContain('blue, green');
    }
  });

  it('reads CLASS_SHOPS as JSON, unset as no class, and names what is wrong', () => {
    expect(classShopsSetting.parse(undefined)).toEqual({});
    expect(classShopsSetting.parse(JSON.stringify(classShops))).toEqual(classShops);
    expect(classShopsSetting.safeParse('{not json').error?.issues[0]?.message).toContain('must be JSON');
    const badTeam = classShopsSetting.safeParse(JSON.stringify({ Blue: classShops.blue }));
    expect(badTeam.error?.issues[0]?.message).toContain('Blue');
    const badDatabase = classShopsSetting.safeParse(JSON.stringify({ blue: { ...classShops.blue, database: 'shop; drop' } }));
    expect(badDatabase.error?.issues[0]?.message).toContain('blue.database');
    const noRedis = classShopsSetting.safeParse(JSON.stringify({ blue: { ...classShops.blue, redis: 'http://127.0.0.1:7520' } }));
    expect(noRedis.error?.issues[0]?.message).toContain('blue.redis');
  });
});

describe("a team's run's probes", () => {
  const probes: Probe[] = [
    { name: 'p95', toleranceMs: 0, kind: 'promql', promql: 'max(service_route:http_request_duration_seconds:p95_1m{service="api"}) < 0.3' },
    { name: 'ready', toleranceMs: 0, kind: 'http', service: 'api', path: '/api/health/ready', status: 200 },
  ];

  it("scope PromQL to the team's series and leave http and SQL probes to the shop's addresses", () => {
    const [promql, http] = probesForTeam(probes, 'blue');
    expect(promql).toMatchObject({ kind: 'promql', promql: 'max(service_route:http_request_duration_seconds:p95_1m{service="api", team="blue"}) < 0.3' });
    expect(http).toEqual(probes[1]);
  });

  it("in a single lab are the scenario's as written", () => {
    expect(probesForTeam(probes, null)).toBe(probes);
  });
});
