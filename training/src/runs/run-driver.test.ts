import { describe, expect, it } from 'vitest';
import type { AlertRecord } from '@firedrill/chaos';
import { createLogger } from '@firedrill/kit';
import type { NewEvent, TrainingEvent } from '../events/event-store.ts';
import type { Page, PageSender } from '../incidents/pager.ts';
import { flagCatalogue, type FlagName, type FlagValue } from '../flags/flag-catalogue.ts';
import { labScenarioSchema } from '../scenario/scenario-schema.ts';
import { planTimeline } from '../scenario/timeline.ts';
import { FakeClock } from './fake-clock.ts';
import { RunDriver, defaultDriverSettings, type RunDriverDeps, type RunVerdict } from './run-driver.ts';
import type { RunRecord } from './run-store.ts';

/**
 * The driver on a fake clock with in-memory stand-ins for the parts it drives: the timeline runs at
 * its times, an easing lever ends nothing, the right lever ends the cause (a rollback clears the
 * release's faults), and the verdict comes once the probes hold.
 */
const scenario = labScenarioSchema.parse({
  id: 'heap-test',
  title: 'The api keeps dying',
  curriculum: 'tests',
  difficulty: 4,
  timebox: '10m',
  load: { script: 'shop-journey', profile: 'steady', rate: 10 },
  steadyState: [{ name: 'api healthy', promql: 'up == 1' }],
  timeline: [
    {
      at: '30s',
      deploy: { service: 'api', version: '2.5.0' },
      flags: { 'api.payment-retries': 5 },
      fault: { family: 'memory-leak', target: 'api', mbPerMinute: 120 },
      endsWith: ['rollback api'],
      eases: ['restart api'],
    },
  ],
  expectedAlerts: ['ApiHighLatencyP95'],
  stability: '1m',
  answer: { severity: 'P1', category: 'bad-release', rootCause: 'a leak' },
  hints: [{ cost: 25, text: 'roll back' }],
  par: { detect: '4m', acknowledge: '6m', mitigate: '15m', resolve: '20m' },
});

const run: RunRecord = {
  id: 'run-000000000001',
  requested: 'heap-test',
  scenario: 'heap-test',
  title: 'The api keeps dying',
  seed: 1,
  speed: 1,
  blind: false,
  team: null,
  shop: '',
  state: 'warming',
  reason: null,
  createdBy: 'operator',
  createdAt: new Date().toISOString(),
  liveAt: null,
  endedAt: null,
  debriefedAt: null,
  cleanup: { faults: [], faultsUnsure: false, deployed: [], flags: [] },
};

function harness(alerts: AlertRecord[] = [], sendPage?: PageSender) {
  const clock = new FakeClock();
  const events: TrainingEvent[] = [];
  const calls: string[] = [];
  const cleanupFlags: string[] = [];
  /** The safety bounds handed on: each injected fault's `for` and k6's maxSeconds. */
  const bounds = { faultSeconds: [] as number[], loadSeconds: [] as number[] };
  const flags = new Map<FlagName, FlagValue>();
  let healthy = true;
  let loadStopped = false;
  const append = async (batch: readonly NewEvent[]) =>
    batch.map((e) => {
      const event: TrainingEvent = {
        id: events.length + 1,
        at: new Date().toISOString(),
        runId: e.runId ?? run.id,
        team: null,
        actor: e.actor,
        kind: e.kind,
        data: e.data,
        visibility: e.visibility ?? 'everyone',
      };
      events.push(event);
      return event;
    });
  const noop = async () => undefined;
  const deps: RunDriverDeps = {
    clock,
    chaos: {
      activeFaults: async () => [],
      inject: async (fault, forSeconds) => {
        bounds.faultSeconds.push(forSeconds);
        calls.push(`inject ${String(fault.family)} bound to ${JSON.stringify(fault.release)}`);
        return { id: 'fault-1', family: String(fault.family) };
      },
      clear: async (id) => {
        calls.push(`clear ${id}`);
        return true;
      },
      clearRelease: async (service) => {
        calls.push(`clear-release ${service}`);
        return [];
      },
      alerts: async () => alerts,
    },
    releases: {
      deploy: async (service, version, actor) => {
        calls.push(`deploy ${service} ${version} by ${actor}`);
        return { id: 1, at: '', service, action: 'deploy', version, previousVersion: '2.3.0', actor, shop: '' };
      },
    },
    flags: {
      view: (name) => ({
        name,
        type: 'number',
        description: '',
        default: flagCatalogue[name].default,
        value: flags.get(name) ?? flagCatalogue[name].default,
        changedAt: null,
        changedBy: null,
      }),
      set: async (name, value) => {
        flags.set(name, value);
        return { changed: true, flag: {} as never };
      },
    },
    events: { append, list: async (query) => events.filter((e) => e.id > (query.after ?? 0) && (!query.kind || e.kind === query.kind)) },
    store: {
      setLive: noop,
      addFault: noop,
      setFaultsUnsure: noop,
      removeFaults: noop,
      addDeployed: noop,
      addFlag: async (_id, flag) => {
        cleanupFlags.push(flag);
      },
    },
    evaluateProbes: async (probes) => probes.map((p) => ({ probe: p.name, ok: healthy, detail: healthy ? '1' : 'empty result' })),
    startLoad: (_runId, _load, maxSeconds) => {
      bounds.loadSeconds.push(maxSeconds);
      return {
        stop: async () => {
          loadStopped = true;
        },
      };
    },
    logger: createLogger('driver-test', 'silent'),
    settings: defaultDriverSettings,
    sendPage,
  };
  const plan = planTimeline(scenario, { seed: 1 });
  const driver = new RunDriver(run, scenario, plan, deps);
  let verdict: RunVerdict | undefined;
  const playing = driver.play().then((v) => {
    verdict = v;
  });
  const lever = (text: string) => append([{ actor: 'operator:ada', kind: 'lever.applied', data: { lever: text } }]);
  return {
    clock,
    driver,
    events,
    calls,
    flags,
    cleanupFlags,
    bounds,
    playing,
    lever,
    kinds: () => events.map((e) => e.kind),
    verdict: () => verdict,
    setHealthy: (value: boolean) => {
      healthy = value;
    },
    loadStopped: () => loadStopped,
  };
}

describe('the run driver on a fake clock', () => {
  it('when the gate opens, then the step waits for its time; restarting (eases) ends nothing; rolling back ends the cause; the run resolves once the probes hold', async () => {
    const h = harness();
    await h.clock.advance(10_000); // three passing rounds: 0, 5 and 10 s
    expect(h.kinds()).toContain('run.state');
    expect(h.calls).toEqual([]);

    await h.clock.advance(29_000); // 29 s into the live phase
    expect(h.calls).toEqual([]);
    await h.clock.advance(2_000);
    expect(h.calls).toEqual(['deploy api 2.5.0 by scenario', 'inject memory-leak bound to {"service":"api","version":"2.5.0"}']);
    expect(h.flags.get('api.payment-retries')).toBe(5);

    h.setHealthy(false);
    expect(h.driver.annotate({ kind: 'restart', service: 'api' })).toEqual({ matched: 'eases' });
    await h.lever('restart api');
    await h.clock.advance(120_000);
    expect(h.kinds()).not.toContain('cause.ended');
    expect(h.driver.snapshot().phase).toBe('incident');

    expect(h.driver.annotate({ kind: 'rollback', service: 'api' })).toEqual({ matched: 'ends' });
    await h.lever('rollback api');
    await h.clock.advance(2_000);
    expect(h.calls.slice(2)).toEqual(['clear-release api', 'clear fault-1']);
    expect(h.events.find((e) => e.kind === 'cause.ended')?.data).toMatchObject({ by: 'lever', actor: 'operator:ada' });
    // The flags the release switched on go with it.
    expect(h.flags.get('api.payment-retries')).toBe(3);

    h.setHealthy(true);
    await h.clock.advance(30_000);
    expect(h.verdict()).toBeUndefined();
    expect(h.driver.snapshot().phase).toBe('recovering');
    await h.clock.advance(40_000);
    await h.playing;
    expect(h.verdict()?.state).toBe('resolved');
  });

  it("when a trainee's lever switches a flag, then the flag goes on the run's cleanup list (the next run starts from the defaults)", async () => {
    const h = harness();
    await h.clock.advance(40_000);
    expect(h.cleanupFlags).toEqual(['api.payment-retries']); // the step's own
    await h.lever('failover payments');
    await h.lever('flag api.degraded-mode true');
    await h.lever('restart api');
    await h.clock.advance(2_000);
    expect(h.cleanupFlags).toEqual(['api.payment-retries', 'payments.secondary-gateway', 'api.degraded-mode']);
  });

  it('when nobody pulls the ending lever, then the run times out at the timebox', async () => {
    const h = harness();
    await h.clock.advance(10_000);
    h.setHealthy(false);
    await h.clock.advance(10 * 60_000 - 1_000);
    expect(h.verdict()).toBeUndefined();
    await h.clock.advance(2_000);
    await h.playing;
    expect(h.verdict()).toMatchObject({ state: 'timed_out', reason: expect.stringContaining('1 cause(s) still active') });
  });

  it('when the shop never passes the gate, then the run is refused after the bound, naming the probe, and nothing is injected', async () => {
    const h = harness();
    h.setHealthy(false);
    await h.clock.advance(defaultDriverSettings.gateMaxMs + 5_000);
    await h.playing;
    expect(h.verdict()).toEqual({ state: 'refused', reason: 'the shop is not in its steady state: api healthy (empty result)' });
    expect(h.calls).toEqual([]);
  });

  it('when the run is stopped mid-way, then it ends stopped at once, naming who stopped it', async () => {
    const h = harness();
    await h.clock.advance(40_000);
    h.driver.stop('instructor:ada');
    await h.clock.advance(0);
    await h.playing;
    expect(h.verdict()).toEqual({ state: 'stopped', reason: 'stopped by instructor:ada' });
  });

  it('when an expected alert fires during the live run (and fires again), then the team is paged once and the page is sent on; other alerts page no one', async () => {
    const alert = (alertname: string, firedAt: string): AlertRecord => ({
      alertname,
      severity: 'page',
      status: 'firing',
      labels: {},
      summary: `${alertname} fired`,
      firedAt,
      resolvedAt: null,
      receivedAt: firedAt,
    });
    const alerts: AlertRecord[] = [];
    const sent: Page[] = [];
    const h = harness(alerts, (page) => sent.push(page));
    await h.clock.advance(10_000);
    alerts.push(alert('ApiHighLatencyP95', '2026-01-01T10:00:00.000Z'), alert('QueueBacklogGrowing', '2026-01-01T10:00:00.000Z'));
    await h.clock.advance(6_000);
    // The same alert resolved and fired again: a second alert.fired, still one page.
    alerts.unshift(alert('ApiHighLatencyP95', '2026-01-01T10:03:00.000Z'));
    await h.clock.advance(6_000);
    expect(h.events.filter((e) => e.kind === 'alert.fired')).toHaveLength(3);
    const pagesRecorded = h.events.filter((e) => e.kind === 'page');
    expect(pagesRecorded.map((e) => e.data)).toEqual([{ alertname: 'ApiHighLatencyP95', summary: 'ApiHighLatencyP95 fired' }]);
    expect(pagesRecorded[0]).toMatchObject({ actor: 'lab', visibility: 'everyone' });
    expect(sent).toEqual([{ runId: run.id, team: null, alertname: 'ApiHighLatencyP95', summary: 'ApiHighLatencyP95 fired' }]);
    h.driver.stop('test');
    await h.playing;
  });
});

describe('pausing and extending a run on a fake clock', () => {
  /** Live at 10 s of the fake clock: the gate's three passing rounds are at 0, 5 and 10 s. */
  const live = async (h: ReturnType<typeof harness>) => {
    await h.clock.advance(10_000);
    expect(h.driver.snapshot().phase).toBe('steady');
  };

  it('when the run is paused before its 30 s step, then the step does not fire while paused and fires after resume, later by the time paused', async () => {
    const h = harness();
    await live(h);
    await h.clock.advance(20_000); // 20 s on the timeline
    expect(await h.driver.pause('instructor')).toEqual({ ok: true });
    expect(h.driver.snapshot().pausedAt).toBe(new Date(30_000).toISOString());
    await h.clock.advance(60_000);
    expect(h.calls).toEqual([]);
    expect(await h.driver.resume('instructor')).toEqual({ ok: true });
    expect(h.driver.snapshot().pausedAt).toBeNull();
    await h.clock.advance(9_000); // 29 s on the timeline
    expect(h.calls).toEqual([]);
    await h.clock.advance(2_000);
    expect(h.calls).toHaveLength(2);
    const paused = h.events.find((e) => e.kind === 'run.paused');
    const resumed = h.events.find((e) => e.kind === 'run.resumed');
    expect(paused).toMatchObject({ actor: 'instructor', visibility: 'everyone', data: { elapsedMs: 20_000 } });
    expect(resumed).toMatchObject({ actor: 'instructor', visibility: 'everyone', data: { pausedForMs: 60_000 } });
    h.driver.stop('test');
    await h.playing;
  });

  it('when the run was paused for a minute and extended by 5 minutes, then it times out that much later, not before', async () => {
    const h = harness();
    await live(h);
    h.setHealthy(false);
    await h.driver.pause('instructor');
    await h.clock.advance(60_000);
    await h.driver.resume('instructor');
    expect(await h.driver.extend('instructor', 5)).toEqual({ ok: true });
    expect(h.driver.snapshot().timeboxMs).toBe(15 * 60_000);
    expect(h.events.find((e) => e.kind === 'run.extended')?.data).toEqual({ minutes: 5, timeboxMs: 15 * 60_000 });
    await h.clock.advance(15 * 60_000 - 1_000); // 16 min live − 1 s: 15 min − 1 s on the timeline
    expect(h.verdict()).toBeUndefined();
    await h.clock.advance(2_000);
    await h.playing;
    expect(h.verdict()).toMatchObject({ state: 'timed_out', reason: expect.stringContaining('the timebox (900s) ran out') });
  });

  it('when the run is paused, then the timebox does not run down, however long (within the allowance)', async () => {
    const h = harness();
    await live(h);
    await h.clock.advance(9 * 60_000); // 1 min left
    await h.driver.pause('instructor');
    await h.clock.advance(20 * 60_000);
    expect(h.verdict()).toBeUndefined();
    expect(h.driver.snapshot().phase).toBe('incident');
    h.driver.stop('test');
    await h.playing;
  });

  it('when the trainees pull the ending lever while the run is paused, then the run still resolves', async () => {
    const h = harness();
    await live(h);
    await h.clock.advance(31_000);
    await h.driver.pause('instructor');
    await h.lever('rollback api');
    await h.clock.advance(2_000);
    expect(h.kinds()).toContain('cause.ended');
    await h.clock.advance(70_000);
    await h.playing;
    expect(h.verdict()?.state).toBe('resolved');
    expect(h.driver.snapshot().phase).toBe('ended');
  });

  it('when asked to pause twice, resume unpaused, extend past 60 minutes or do anything while warming, then each is refused with its reason and nothing is recorded', async () => {
    const h = harness();
    expect(await h.driver.pause('instructor')).toMatchObject({ ok: false, problem: 'run_not_live', detail: expect.stringContaining('warming up') });
    await live(h);
    expect(await h.driver.resume('instructor')).toMatchObject({ ok: false, problem: 'run_not_paused' });
    await h.driver.pause('instructor');
    expect(await h.driver.pause('instructor')).toMatchObject({ ok: false, problem: 'run_already_paused' });
    expect(await h.driver.extend('instructor', 30)).toEqual({ ok: true });
    expect(await h.driver.extend('instructor', 30)).toEqual({ ok: true });
    expect(await h.driver.extend('instructor', 1)).toMatchObject({
      ok: false,
      problem: 'run_extension_cap',
      detail: expect.stringContaining('at most 0 more'),
    });
    expect(h.kinds().filter((k) => k.startsWith('run.') && k !== 'run.state')).toEqual(['run.paused', 'run.extended', 'run.extended']);
    h.driver.stop('test');
    await h.playing;
    expect(await h.driver.extend('instructor', 1)).toMatchObject({ ok: false, problem: 'run_not_live', detail: 'The run has ended' });
  });

  it('when a pause uses up the 30 minutes allowed, then the timeline resumes by itself and a further pause is refused', async () => {
    const h = harness();
    await live(h);
    await h.driver.pause('instructor');
    await h.clock.advance(30 * 60_000 + 1_000);
    expect(h.driver.snapshot().pausedAt).toBeNull();
    expect(h.events.find((e) => e.kind === 'run.resumed')).toMatchObject({ actor: 'scenario', data: { pausedForMs: 30 * 60_000 } });
    expect(h.calls).toEqual([]); // 1 s on the timeline
    await h.clock.advance(30_000);
    expect(h.calls).toHaveLength(2); // the 30 s step, once the timeline went on
    expect(await h.driver.pause('instructor')).toMatchObject({ ok: false, problem: 'run_pause_cap' });
    h.driver.stop('test');
    await h.playing;
  });

  it('when the load and an open-ended fault are bounded, then the bounds leave room for the whole timebox, every extension and every pause', async () => {
    const h = harness();
    await live(h);
    await h.clock.advance(31_000);
    // k6: gate 90 s + timebox 600 s + 60 min extension + 30 min pause + 120 s margin.
    expect(h.bounds.loadSeconds).toEqual([90 + 600 + 3_600 + 1_800 + 120]);
    // The fault (no duration of its own): the rest of the timebox from its step (570 s) + 60 min + 30 min + 60 s.
    expect(h.bounds.faultSeconds).toEqual([570 + 3_600 + 1_800 + 60]);
    h.driver.stop('test');
    await h.playing;
  });
});
