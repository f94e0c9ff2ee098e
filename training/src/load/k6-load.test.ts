import { execFile } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { durationSeconds, loadProfiles, profileDefaults } from './load-profiles.ts';
import { loadScriptsDir, readSummary, startLoad, type LoadRequest } from './k6-load.ts';
import { k6Binary } from './k6-process.ts';

const journey = path.join(loadScriptsDir, 'shop-journey.ts');

/** `k6 inspect` evaluates the script's options as `k6 run` would, without running anything. */
function inspect(env: Record<string, string>): Promise<{ code: number; options: any; stderr: string }> {
  const args = ['inspect', '--execution-requirements', ...Object.entries(env).flatMap(([k, v]) => ['-e', `${k}=${v}`]), journey];
  return new Promise((resolve) => {
    execFile(k6Binary(), args, { env: { PATH: process.env.PATH, HOME: process.env.HOME, K6_NO_USAGE_REPORT: 'true' } }, (error, stdout, stderr) => {
      resolve({ code: error ? Number(error.code) : 0, options: error ? undefined : JSON.parse(stdout), stderr });
    });
  });
}

const stageSeconds = (stages: Array<{ duration: string }>) => stages.reduce((sum, s) => sum + (durationSeconds(s.duration) ?? Number.NaN), 0);

describe('load profiles, as k6 reads them from the shop journey', () => {
  it.each(loadProfiles)(
    'when PROFILE=%s with RATE=2 and DURATION=60s, then it is an arrival-rate scenario that lasts 60 s plus a short grace',
    async (profile) => {
      const { code, options, stderr } = await inspect({ PROFILE: profile, RATE: '2', DURATION: '60s' });
      expect(code, stderr).toBe(0);
      const scenario = options.scenarios.journey;
      expect(scenario.executor).toMatch(/^(constant|ramping)-arrival-rate$/);
      expect(options.totalDuration).toBe('1m5s');
      expect(scenario.maxVUs).toBeGreaterThanOrEqual(scenario.preAllocatedVUs);
      // Per-minute rates: 2 visits/s is 120 a minute.
      if (scenario.executor === 'constant-arrival-rate') {
        expect(scenario.rate).toBe(120);
        expect(scenario.duration).toBe('1m0s');
      } else {
        expect(stageSeconds(scenario.stages)).toBe(60);
        const peak = Math.max(...scenario.stages.map((s: { target: number }) => s.target));
        expect(peak).toBe(profile === 'spike' ? 480 : 120);
      }
    },
  );

  it.each(loadProfiles)('when PROFILE=%s comes without RATE or DURATION, then k6 applies the defaults the launcher knows', async (profile) => {
    const { code, options, stderr } = await inspect({ PROFILE: profile });
    expect(code, stderr).toBe(0);
    const scenario = options.scenarios.journey;
    const { rate, duration } = profileDefaults[profile];
    const lasts = scenario.executor === 'constant-arrival-rate' ? durationSeconds(scenario.duration) : stageSeconds(scenario.stages);
    expect(lasts).toBe(durationSeconds(duration));
    const nominal =
      scenario.executor === 'constant-arrival-rate'
        ? scenario.rate
        : profile === 'spike'
          ? scenario.startRate
          : Math.max(...scenario.stages.map((s: { target: number }) => s.target));
    expect(nominal).toBe(rate * 60);
  });

  it('when PROFILE is unknown, then the profiles k6 offers instead are exactly those the launcher knows', async () => {
    const { stderr } = await inspect({ PROFILE: 'flash-sale' });
    expect(stderr).toContain(`use one of ${loadProfiles.join(', ')}\\n`);
  });

  it('when every step is measured, then the journey has a duration threshold per step tag and tags each request with its step', async () => {
    const { options } = await inspect({ PROFILE: 'smoke' });
    expect(Object.keys(options.thresholds)).toEqual(
      expect.arrayContaining([
        'http_req_failed',
        'checks',
        'http_req_duration{step:browse}',
        'http_req_duration{step:product}',
        'http_req_duration{step:checkout}',
      ]),
    );
    expect(options.systemTags).not.toContain('url');
  });

  it.each([
    [{ PROFILE: 'flash-sale' }, 'PROFILE=flash-sale is not a load profile'],
    [{ RATE: '0' }, 'RATE=0 must be'],
    [{ DURATION: 'soon' }, 'DURATION=soon must be a k6 duration'],
    [{ DECLINE_SHARE: '1.5' }, 'DECLINE_SHARE=1.5 must be a share'],
  ])('when the script gets %o, then k6 refuses to start and names the variable', async (env, message) => {
    const { code, stderr } = await inspect(env);
    expect(code).not.toBe(0);
    expect(stderr).toContain(message);
  });
});

describe('startLoad input', () => {
  const good: LoadRequest = {
    script: 'shop-journey',
    profile: 'smoke',
    baseUrl: 'http://127.0.0.1:1',
    testId: 'unit',
    logFile: path.join(os.tmpdir(), 'never-written', 'k6.log'),
  };

  it.each([
    [{ script: 'no-such-journey' }, 'no load script no-such-journey'],
    [{ profile: 'flash-sale' as never }, 'unknown load profile flash-sale'],
    [{ rate: 0 }, 'load rate 0 must be above 0'],
    [{ duration: '10' }, 'load duration 10 must be a k6 duration'],
    [{ testId: 'two words' }, 'testId two words must be'],
  ])('when asked for %o, then it throws before starting k6, saying why', (change, message) => {
    expect(() => startLoad({ ...good, ...change })).toThrow(message);
  });
});

describe('durationSeconds', () => {
  it('when given k6 durations, then it reads each the way k6 does, and refuses what k6 would not take', () => {
    expect(['90s', '1m30s', '2h', '500ms', '1.5m'].map(durationSeconds)).toEqual([90, 90, 7200, 0.5, 90]);
    expect(['10', '', '0s', '1d', 's', '1m 30s'].map(durationSeconds)).toEqual([undefined, undefined, undefined, undefined, undefined, undefined]);
  });
});

describe('readSummary', () => {
  it("when k6's export says one threshold was crossed, then the summary names it and the figures come through", () => {
    const summary = readSummary(
      {
        metrics: {
          iterations: { count: 41, rate: 3.7 },
          http_reqs: { count: 158, rate: 14 },
          http_req_failed: { passes: 2, fails: 156, value: 0.0127, thresholds: { 'rate<0.05': false } },
          checks: { passes: 150, fails: 8, value: 0.95, thresholds: { 'rate>0.95': false } },
          'http_req_duration{step:browse}': { 'p(95)': 6.8, thresholds: { 'p(95)<500': false } },
          'http_req_duration{step:checkout}': { 'p(95)': 2400, thresholds: { 'p(95)<2000': true } },
        },
      },
      { code: 99, signal: null },
    );
    expect(summary).toEqual({
      exit: { code: 99, signal: null },
      thresholdsPassed: false,
      crossed: ['http_req_duration{step:checkout}: p(95)<2000'],
      iterations: 41,
      requests: 158,
      failedShare: 0.0127,
      checks: { passed: 150, failed: 8 },
      p95ByStep: { browse: 6.8, checkout: 2400 },
    });
  });
});
