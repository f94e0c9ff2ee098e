import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { trainingUnderTest, type SharedRole, type TrainingUnderTest } from './helpers/training-under-test.ts';

/**
 * The PIR through the training process against a real Postgres: draft from a run's journal,
 * check, submit (stored, scored, a pir.submitted event), and every bad input answered 4xx.
 * Prometheus is pointed at a closed port: the draft must still come, with its figures unknown.
 */
let training: TrainingUnderTest;
let lab: pg.Pool;
const endedRun = `run-${randomBytes(6).toString('hex')}`;
const liveRun = `run-${randomBytes(6).toString('hex')}`;
const t0 = Date.parse('2025-03-04T10:00:00.000Z');

beforeAll(async () => {
  training = await trainingUnderTest('pir', { PROMETHEUS_URL: 'http://127.0.0.1:9' });
  const labDatabaseUrl = training.labDatabaseUrl;
  lab = new pg.Pool({ connectionString: labDatabaseUrl, max: 2 });
  // Start-up marks runs a crash left unfinished as failed; the live run below must come after it looked.
  await new Promise((resolve) => setTimeout(resolve, 500));
  // Runs and their journals as the run service leaves them (this test is about the PIR, not running a lab).
  const insertRun = (id: string, state: string, ended: boolean) =>
    lab.query(
      `INSERT INTO training.runs (id, requested, scenario, title, seed, speed, blind, state, created_by, created_at, live_at, ended_at)
       VALUES ($1, 'lab1-high-latency', 'lab1-high-latency', 'Checkout is slow', 1, 1, false, $2, 'operator', $3, $3, $4)`,
      [id, state, new Date(t0), ended ? new Date(t0 + 20 * 60_000) : null],
    );
  await insertRun(endedRun, 'resolved', true);
  await insertRun(liveRun, 'live', false);
  const journal: Array<[number, string, string, Record<string, unknown>, string]> = [
    [0, 'run.state', 'scenario', { state: 'live' }, 'everyone'],
    [1, 'fault.injected', 'scenario', { family: 'latency', target: 'payments', ms: 500 }, 'instructor'],
    [2, 'probe.failing', 'scenario', { probe: 'checkout p95 below 300 ms' }, 'everyone'],
    [3, 'alert.fired', 'alertmanager', { alertname: 'ApiHighLatencyP95', summary: 'checkout slow' }, 'everyone'],
    [3, 'page', 'lab', { alertname: 'ApiHighLatencyP95', summary: null }, 'everyone'],
    [4, 'incident.acknowledged', 'operator:ada', { incidentId: 'inc-1' }, 'everyone'],
    [5, 'incident.role', 'operator:ada', { incidentId: 'inc-1', role: 'ic', trainee: 'ada' }, 'everyone'],
    [8, 'lever.applied', 'operator:grace', { lever: 'rollback payments', summary: 'payments back on 2.3.0' }, 'everyone'],
    [9, 'probe.passing', 'scenario', { probe: 'checkout p95 below 300 ms' }, 'everyone'],
    [12, 'run.state', 'scenario', { state: 'resolved' }, 'everyone'],
  ];
  for (const [minute, kind, actor, data, visibility] of journal)
    await lab.query('INSERT INTO training.events (at, run_id, actor, kind, data, visibility) VALUES ($1, $2, $3, $4, $5::jsonb, $6)', [
      new Date(t0 + minute * 60_000),
      endedRun,
      actor,
      kind,
      JSON.stringify(data),
      visibility,
    ]);
});
afterAll(async () => {
  await lab?.end();
  await training?.close();
});

type Role = SharedRole;
const call = async (method: string, route: string, role: Role, body?: unknown, raw?: { type: string; text: string }) => {
  const response = await fetch(`${training.url}${route}`, {
    method,
    headers: {
      authorization: `Bearer ${training.tokens[role]}`,
      'x-firedrill-actor': 'ada',
      ...(body !== undefined && { 'content-type': 'application/json' }),
      ...(raw && { 'content-type': raw.type }),
    },
    ...(body !== undefined && { body: JSON.stringify(body) }),
    ...(raw && { body: raw.text }),
  });
  return { status: response.status, type: response.headers.get('content-type') ?? '', body: (await response.json()) as Record<string, any> };
};

const blamelessPir = `# PIR: Checkout slow

## Summary
Payments 2.4.0 added a synchronous fraud check; checkouts were slow for 7 minutes.

## Impact
- Duration: 7 min; 0 orders failed.

## Responders and roles
| role | who |
|---|---|
| incident commander | Ada |

## Detection
ApiHighLatencyP95 paged the team at 10:03.

## Timeline
| time (UTC) | what happened | source |
|---|---|---|
| 10:08:00 | rolled back payments | lever.applied #8 |

## Trigger and root cause
The fraud check runs inside the charge request.

## Resolution
Rolling back payments ended it.

## Lessons learned
The alert fired within a minute.

## Action items
| action | type | owner | due | tracking |
|---|---|---|---|---|
| Make the fraud check asynchronous | prevent | payments team | 2025-04-01 | PAY-1 |

## Messaging
Internal and external notes were sent at 10:20.
`;

describe('GET /api/runs/{id}/pir/draft', () => {
  it('when the run has ended, then the draft comes from what the team saw, with figures unknown while Prometheus is away', async () => {
    const { status, body } = await call('GET', `/api/runs/${endedRun}/pir/draft`, 'operator');
    expect(status).toBe(200);
    expect(body.runId).toBe(endedRun);
    expect(body.markdown).toContain('## Timeline (UTC)');
    expect(body.markdown).toContain('| incident commander | ada |');
    expect(body.markdown).toContain('`rollback payments`');
    expect(body.markdown).toContain('- **Payments failed:** unknown');
    expect(body.markdown).not.toContain('fault.injected');
    expect(body.figures).toMatchObject({ ordersFailed: null, paymentsFailed: null, errorBudgetBurnedPercent: null });
    expect(body.figures.notes.join(' ')).toMatch(/Prometheus/);
  });

  it('when the run has not ended, then 409 run_not_ended; an unknown run is 404', async () => {
    expect((await call('GET', `/api/runs/${liveRun}/pir/draft`, 'operator')).body.code).toBe('run_not_ended');
    const unknown = await call('GET', '/api/runs/run-000000000000/pir/draft', 'operator');
    expect([unknown.status, unknown.body.code]).toEqual([404, 'not_found']);
  });
});

describe('POST /api/pir/check', () => {
  it('when the draft is checked unfilled, then its placeholders are findings and the score is below 100', async () => {
    const draft = (await call('GET', `/api/runs/${endedRun}/pir/draft`, 'operator')).body.markdown as string;
    const { status, body } = await call('POST', '/api/pir/check', 'operator', { markdown: draft });
    expect(status).toBe(200);
    expect(body.findings.map((f: { rule: string }) => f.rule)).toContain('placeholder');
    expect(body.score).toBeLessThan(100);
  });

  it('when names are given, then blame next to them is found', async () => {
    const { body } = await call('POST', '/api/pir/check', 'operator', {
      markdown: blamelessPir.replace('Rolling back', 'Then Ada quickly broke it; rolling back'),
      names: ['ada'],
    });
    expect(body.findings).toEqual([expect.objectContaining({ rule: 'blame-name' })]);
  });

  it('when the agent token asks, then 403', async () => {
    expect((await call('POST', '/api/pir/check', 'agent', { markdown: blamelessPir })).status).toBe(403);
  });
});

describe('POST /api/runs/{id}/pir', () => {
  it('when a blameless, complete review is submitted, then it is stored with score 100 and a pir.submitted event carries exactly {pirId, score, findings}', async () => {
    const { status, body } = await call('POST', `/api/runs/${endedRun}/pir`, 'operator', { markdown: blamelessPir });
    expect(status).toBe(201);
    expect(body).toMatchObject({ runId: endedRun, score: 100, findings: [], submittedBy: 'operator:ada' });
    const { rows } = await lab.query('SELECT run_id, markdown, score, findings FROM training.pirs WHERE id = $1', [body.id]);
    expect(rows).toEqual([{ run_id: endedRun, markdown: blamelessPir, score: 100, findings: [] }]);
    const events = await lab.query(`SELECT actor, data FROM training.events WHERE run_id = $1 AND kind = 'pir.submitted' AND data->>'pirId' = $2`, [
      endedRun,
      body.id,
    ]);
    expect(events.rows).toEqual([{ actor: 'operator:ada', data: { pirId: body.id, score: 100, findings: [] } }]);
  });

  it("when the review blames a responder the run's journal names, then the server's own check finds it and the score drops", async () => {
    const blaming = blamelessPir.replace('Rolling back payments ended it.', 'Grace should have rolled back sooner; rolling back payments ended it.');
    const { status, body } = await call('POST', `/api/runs/${endedRun}/pir`, 'operator', { markdown: blaming });
    expect(status).toBe(201);
    expect(body.findings).toEqual([
      { rule: 'blame-name', line: blaming.split('\n').findIndex((l) => l.startsWith('Grace')) + 1, message: expect.stringContaining('Grace') },
    ]);
    expect(body.score).toBe(90);
    const event = await lab.query(`SELECT data FROM training.events WHERE kind = 'pir.submitted' AND data->>'pirId' = $1`, [body.id]);
    expect(event.rows[0].data).toEqual({ pirId: body.id, score: 90, findings: body.findings });
  });

  it('when the markdown is empty, blank, absent, not storable, or the body is not JSON, then 4xx problem+json and nothing is stored', async () => {
    const before = Number((await lab.query('SELECT count(*) FROM training.pirs')).rows[0].count);
    for (const body of [{ markdown: '' }, { markdown: '  \n\t' }, {}, { markdown: 42 }, { markdown: 'a\u0000b' }, { markdown: 'x', extra: 1 }]) {
      const answer = await call('POST', `/api/runs/${endedRun}/pir`, 'operator', body);
      expect([answer.status, answer.body.code], JSON.stringify(body)).toEqual([400, 'validation_failed']);
      expect(answer.type).toContain('application/problem+json');
    }
    expect((await call('POST', `/api/runs/${endedRun}/pir`, 'operator', undefined, { type: 'application/json', text: '{"markdown": ' })).status).toBe(400);
    expect((await call('POST', `/api/runs/${endedRun}/pir`, 'operator', undefined, { type: 'text/markdown', text: '# PIR' })).status).toBe(415);
    expect(Number((await lab.query('SELECT count(*) FROM training.pirs')).rows[0].count)).toBe(before);
  });

  it('when the review is over 256 kB, or the body over the parser limit, then 413 payload_too_large', async () => {
    const big = `${blamelessPir}\n${'word '.repeat(60_000)}`;
    const answer = await call('POST', `/api/runs/${endedRun}/pir`, 'operator', { markdown: big });
    expect([answer.status, answer.body.code]).toEqual([413, 'payload_too_large']);
    const huge = await call('POST', '/api/pir/check', 'operator', { markdown: 'x'.repeat(2_000_000) });
    expect([huge.status, huge.body.code]).toEqual([413, 'payload_too_large']);
  });

  it('when the run is unknown, not ended, or its id malformed, then 404, 409 and 400', async () => {
    expect((await call('POST', '/api/runs/run-000000000000/pir', 'operator', { markdown: blamelessPir })).status).toBe(404);
    const live = await call('POST', `/api/runs/${liveRun}/pir`, 'operator', { markdown: blamelessPir });
    expect([live.status, live.body.code]).toEqual([409, 'run_not_ended']);
    expect((await call('POST', '/api/runs/run%20!/pir', 'operator', { markdown: blamelessPir })).status).toBe(400);
  });
});
