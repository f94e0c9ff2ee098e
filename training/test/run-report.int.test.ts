import { prometheusClient } from '@firedrill/kit';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger, HttpProblem, runMigrations } from '@firedrill/kit';
import { createTestDatabase } from '@firedrill/lab-infra/testing';
import { createEventStore, type EventStore, type NewEvent } from '../src/events/event-store.ts';
import type { Caller } from '../src/ops/identity.ts';
import { reportHtml } from '../src/reports/report-html.ts';
import { reportSchema } from '../src/reports/report-schema.ts';
import { createReportService, type ReportService } from '../src/reports/report-service.ts';
import { systemClock } from '../src/runs/run-clock.ts';
import { createRunStore, newRunId, type RunStore } from '../src/runs/run-store.ts';

/**
 * A report built from a real journal: the run and its events written to Postgres through the
 * run and event stores, the needless lever's collateral counted from a real shop.orders table (the
 * shop's own migrations), and Prometheus away (a closed port): the chart says "no data" and the
 * report still renders.
 */
const repo = path.join(import.meta.dirname, '..', '..');
const logger = createLogger('report-test', 'silent');
let labPool: pg.Pool;
let shopPool: pg.Pool;
let store: RunStore;
let events: EventStore;
let reports: ReportService;
let runId: string;

const instructor: Caller = { role: 'instructor', actor: 'instructor', team: null, trainee: null };
const operator: Caller = { role: 'operator', actor: 'operator', team: null, trainee: null };
const trainee: Caller = { role: 'trainee', actor: 'trainee:ada', team: 'red', trainee: 'ada' };
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

beforeAll(async () => {
  labPool = new pg.Pool({ connectionString: await createTestDatabase('lab'), max: 3 });
  shopPool = new pg.Pool({ connectionString: await createTestDatabase('shop'), max: 2 });
  await runMigrations(labPool, { schema: 'training', dir: path.join(repo, 'training', 'migrations') }, logger);
  await runMigrations(shopPool, { schema: 'shop', dir: path.join(repo, 'packages', 'shop-schema', 'migrations') }, logger);
  store = createRunStore(labPool);
  events = createEventStore(labPool);
  reports = createReportService({
    store,
    events,
    scenariosDir: path.join(repo, 'scenarios'),
    shopQueryOf: () => (sql, values) => shopPool.query(sql, values),
    prometheus: prometheusClient({ url: 'http://127.0.0.1:1' }),
    clock: systemClock,
  });

  // Lab 1 at speed 100 (par and stability a hundredth: the stability window is 0.6 s).
  runId = newRunId();
  await store.create({
    id: runId,
    requested: 'lab1-high-latency',
    scenario: 'lab1-high-latency',
    title: 'Checkout is slow',
    team: null,
    shop: '',
    seed: 1,
    speed: 100,
    blind: false,
    createdBy: 'instructor',
  });
  const append = (actor: string, kind: NewEvent['kind'], data: Record<string, unknown>, visibility: NewEvent['visibility'] = 'everyone') =>
    events.append([{ actor, kind, data, visibility, runId }]);
  const probe = { probe: 'checkout p95 below 300 ms' };
  await append('scenario', 'run.state', { state: 'live' });
  await append('training', 'probe.passing', probe);
  const cause = {
    step: 0,
    endsWith: ['rollback payments'],
    eases: [],
    actions: [
      { kind: 'deploy', service: 'payments', version: '2.4.0' },
      { kind: 'inject', fault: { family: 'latency', target: 'payments', ms: 500 } },
    ],
  };
  await append('scenario', 'cause.started', cause, 'instructor');
  await append('scenario', 'fault.injected', { step: 0, family: 'latency', target: 'payments', ms: 500 }, 'instructor');
  await append('training', 'probe.failing', probe);
  await append('lab', 'page', { alertname: 'ApiHighLatencyP95', summary: 'checkout p95 above 300 ms' });
  await append('trainee:ada', 'incident.acknowledged', { incidentId: null });
  await append('trainee:ada', 'incident.declared', { incidentId: 'inc-1', title: 'Checkout is slow', severity: 'P2' });
  await append('trainee:bo', 'incident.update', {
    incidentId: 'inc-1',
    kind: 'ack',
    text: 'investigating',
    impact: 'checkout takes 2 s',
    nextUpdateMinutes: 10,
  });
  const [restart] = await append('trainee:cy', 'lever.applied', { lever: 'restart worker', matched: null });
  // Orders whose payment failed: two in the restart's window, one just before it (the rate the
  // restart is measured against: it broke one more) and one an hour before (outside both windows).
  const placed = Date.parse(restart!.at);
  for (const [i, at] of [placed + 1_000, placed + 2_000, placed - 1_000, placed - 3_600_000].entries())
    await shopPool.query(
      `INSERT INTO shop.orders (id, idempotency_key, request_hash, customer_email, status, total_cents, currency, created_at)
       VALUES (gen_random_uuid(), $1, 'h', 'a@example.com', 'payment_failed', 1000, 'EUR', $2)`,
      [`key-${i}`, new Date(at)],
    );
  const [rollback] = await append('trainee:cy', 'lever.applied', { lever: 'rollback payments', matched: 'ends' });
  await append('scenario', 'cause.ended', { step: 0, by: 'lever', leverEventId: rollback!.id, actor: 'trainee:cy' }, 'instructor');
  await append('training', 'probe.passing', probe);
  await sleep(700);
  await append('trainee:ada', 'incident.resolved', { incidentId: 'inc-1', category: 'bad-release', summary: 'rolled back payments' });
  await append('scenario', 'run.state', { state: 'resolved' });
  await store.end(runId, 'resolved', 'every cause ended and the probes held');
});
afterAll(async () => {
  await labPool?.end();
  await shopPool?.end();
});

describe('the run report from a real journal', () => {
  it('when the instructor reads it, then it is graded from the stored events, the needless restart names the orders it failed, and the chart says no data', async () => {
    const report = reportSchema.parse(await reports.report(runId, instructor));
    const grade = report.grade!;
    expect(grade.times.detect.verdict).toBe('within par');
    expect(grade.times.mitigate.ms).not.toBeNull();
    expect(grade.times.resolve.ms).not.toBeNull();
    expect(grade.mitigatedBy).toBe('trainees');
    expect(grade.rootCause.correct).toBe(true);
    expect(grade.collateral).toEqual([expect.objectContaining({ lever: 'restart worker', component: 'worker', ordersFailed: 1 })]);
    expect(grade.score.deductions).toEqual([expect.objectContaining({ part: 'collateral', points: -5.5 })]);
    expect(report.timeline.some((entry) => entry.kind === 'fault.injected')).toBe(true);
    expect(report.chart.unavailable).toMatch(/^Prometheus did not answer/);
    expect(reportHtml(report)).toContain('no data: Prometheus did not answer');
  });

  it('when the operator reads it before the debrief, then instructor-only events and the grade are withheld; after the debrief, all is shown', async () => {
    const before = await reports.report(runId, operator);
    expect(before.timeline.some((entry) => entry.visibility === 'instructor')).toBe(false);
    expect(before.grade).toBeNull();
    expect((await reports.scoreboard(operator)).teams[0]?.runs[0]).toMatchObject({ runId, score: null, pending: 'after the debrief' });

    const debriefed = await reports.debrief(runId, 'instructor');
    expect(debriefed.debriefedAt).not.toBeNull();
    // One run.debriefed event for everyone (the trainees' pages re-read the report on it), not one per call.
    await reports.debrief(runId, 'instructor');
    const debriefEvents = await events.list({ runId, kind: 'run.debriefed', limit: 10, visibility: ['everyone', 'instructor'] });
    expect(debriefEvents.map((e) => [e.actor, e.visibility])).toEqual([['instructor', 'everyone']]);
    const after = await reports.report(runId, operator);
    expect(after.timeline.some((entry) => entry.kind === 'cause.ended')).toBe(true);
    expect(after.grade?.score.total).toBe((await reports.report(runId, instructor)).grade?.score.total);
    expect((await reports.scoreboard(operator)).teams[0]?.runs[0]?.score).toBe(after.grade?.score.total);
  });

  it("when a trainee asks for a run that is not its team's, then it is refused with 403", async () => {
    await expect(reports.report(runId, trainee)).rejects.toSatisfy((err) => err instanceof HttpProblem && err.type.status === 403);
  });

  it('when an unfinished run is debriefed, then it is refused with 409 run_not_finished', async () => {
    const id = newRunId();
    await store.create({
      id,
      requested: 'lab1-high-latency',
      scenario: 'lab1-high-latency',
      title: 'Checkout is slow',
      team: null,
      shop: '',
      seed: 2,
      speed: 1,
      blind: false,
      createdBy: 'instructor',
    });
    try {
      await expect(reports.debrief(id, 'instructor')).rejects.toSatisfy((err) => err instanceof HttpProblem && err.code === 'run_not_finished');
    } finally {
      await store.end(id, 'stopped', 'test over');
    }
  });
});
