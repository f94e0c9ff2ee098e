import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runTeamCommand } from '../src/incidents/team-command.ts';
import { trainingUnderTest, type SharedRole, type TrainingUnderTest } from './helpers/training-under-test.ts';

/**
 * The incident and hint API in the real training process against real Postgres, on a run row
 * written as the run service writes it (live for four minutes of Lab 1): the lifecycle, the order
 * rules, bad input as 4xx problems, replays, and a restart that rebuilds the same state from the
 * database.
 */
let training: TrainingUnderTest;
let db: pg.Pool;
const runId = `run-${randomUUID().replaceAll('-', '').slice(0, 12)}`;

beforeAll(async () => {
  // Nothing listens at CHAOS_URL: a recovered run's cleanup finds nothing to clear and says so.
  training = await trainingUnderTest('incidents', { CHAOS_URL: 'http://127.0.0.1:9' });
  db = new pg.Pool({ connectionString: training.labDatabaseUrl, max: 2 });
  // The trainees who take roles: ada and bob, of team lab (the instructor's identities API).
  expect((await training.call('POST', '/api/teams', 'instructor', { name: 'lab' })).status).toBe(201);
  for (const name of ['ada', 'bob']) expect((await training.call('POST', '/api/trainees', 'instructor', { name, team: 'lab' })).status).toBe(201);
});
afterAll(async () => {
  await training?.close();
  await db?.end();
});

interface Answer {
  status: number;
  type: string;
  replayed: boolean;
  body: Record<string, any>;
}
const call = async (method: string, route: string, options: { body?: unknown; key?: string | null; raw?: string; role?: SharedRole } = {}): Promise<Answer> => {
  const key = options.key === undefined ? randomUUID() : options.key;
  const response = await fetch(`${training.url}${route}`, {
    method,
    headers: {
      authorization: `Bearer ${training.tokens[options.role ?? 'operator']}`,
      'x-firedrill-actor': 'ada',
      ...(method === 'POST' && key !== null && { 'idempotency-key': key }),
      ...((options.body !== undefined || options.raw !== undefined) && { 'content-type': 'application/json' }),
    },
    ...(options.body !== undefined && { body: JSON.stringify(options.body) }),
    ...(options.raw !== undefined && { body: options.raw }),
  });
  return {
    status: response.status,
    type: response.headers.get('content-type') ?? '',
    replayed: response.headers.get('idempotency-replayed') === 'true',
    body: (await response.json()) as Record<string, any>,
  };
};
const post = (name: string, body?: unknown, key?: string | null) => call('POST', `/api/incident/${name}`, { body, key });
const eventCount = async () => Number((await db.query('SELECT count(*) FROM training.events WHERE run_id = $1', [runId])).rows[0].count);

describe('incidents before any run', () => {
  it('when no run is live, then a declaration is a 409 saying incidents belong to a run, and the status has no run to show', async () => {
    const declared = await post('declare', { title: 'Checkout is slow', severity: 'P2' });
    expect(declared.status).toBe(409);
    expect(declared.type).toContain('application/problem+json');
    expect(declared.body).toMatchObject({ code: 'no_run_live', detail: expect.stringContaining('incidents belong to a run') });
    expect((await call('GET', '/api/incident/status')).body.code).toBe('no_run_yet');
  });
});

describe('an incident during a live run', () => {
  beforeAll(async () => {
    await db.query(
      `INSERT INTO training.runs (id, requested, scenario, title, seed, speed, blind, state, created_by, created_at, live_at)
       VALUES ($1, 'lab1-high-latency', 'lab1-high-latency', 'Checkout is slow', 1, 1, false, 'live', 'operator', now() - interval '5 minutes', now() - interval '4 minutes')`,
      [runId],
    );
    // What the run driver records when an expected alert fires.
    await db.query(`INSERT INTO training.events (run_id, actor, kind, data) VALUES ($1, 'lab', 'page', '{"alertname":"ApiHighLatencyP95","summary":null}')`, [
      runId,
    ]);
  });

  it('when a command comes without an Idempotency-Key, then it is 400 naming the header', async () => {
    const answer = await post('ack', undefined, null);
    expect(answer.status).toBe(400);
    expect(answer.body).toMatchObject({ code: 'idempotency_key_required', errors: [{ field: 'Idempotency-Key' }] });
  });

  it('when the page is acknowledged before declaring, then the status is open; a second acknowledgement is a 409', async () => {
    const acked = await post('ack');
    expect(acked.status).toBe(200);
    expect(acked.body).toMatchObject({ runId, status: 'open', pages: [{ alertname: 'ApiHighLatencyP95' }], acknowledged: { actor: 'operator:ada' } });
    const again = await post('ack');
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('incident_conflict');
  });

  it('when something comes before the declaration (out of order), then it is a 409 saying to declare first', async () => {
    for (const [name, body] of [
      ['mitigated', undefined],
      ['resolve', {}],
      ['note', { text: 'early' }],
    ] as const) {
      const answer = await post(name, body);
      expect(answer.status).toBe(409);
      expect(answer.body).toMatchObject({ code: 'incident_not_declared', detail: expect.stringContaining('Declare the incident first') });
    }
  });

  it('when the severity is P7, or a field is missing, then it is a 400 naming the field', async () => {
    const p7 = await post('declare', { title: 'Checkout is slow', severity: 'P7' });
    expect(p7.status).toBe(400);
    expect(p7.body.errors).toEqual([expect.objectContaining({ field: 'severity' })]);
    const noTitle = await post('declare', { severity: 'P2' });
    expect(noTitle.status).toBe(400);
    expect(noTitle.body.errors).toEqual([expect.objectContaining({ field: 'title' })]);
  });

  let incidentId: string;
  it('when the team declares, then the incident is declared; the same request replayed gets the first answer and appends nothing', async () => {
    const key = randomUUID();
    const declared = await post('declare', { title: 'Checkout is slow', severity: 'P2' }, key);
    expect(declared.status).toBe(200);
    expect(declared.body).toMatchObject({ status: 'declared', incident: { title: 'Checkout is slow', severity: 'P2' } });
    incidentId = declared.body.incident.id;

    const before = await eventCount();
    const replay = await post('declare', { title: 'Checkout is slow', severity: 'P2' }, key);
    expect(replay).toMatchObject({ status: 200, replayed: true, body: declared.body });
    expect(await eventCount()).toBe(before);

    const reused = await post('declare', { title: 'Something else', severity: 'P1' }, key);
    expect(reused.status).toBe(422);
    expect(reused.body.code).toBe('idempotency_key_reused');
  });

  it('when a second declaration comes in the same run, then it is a 409 naming the open incident', async () => {
    const second = await post('declare', { title: 'Another one', severity: 'P3' });
    expect(second.status).toBe(409);
    expect(second.body).toMatchObject({ code: 'incident_already_declared', incidentId });
  });

  it('when an update has no text, a 5 MB note is sent, or a note is over 4 kB, then each is a clear 4xx and nothing is appended', async () => {
    const before = await eventCount();
    const empty = await post('update', { kind: 'update', text: '   ' });
    expect(empty.status).toBe(400);
    expect(empty.body.errors).toEqual([expect.objectContaining({ field: 'text', message: 'text must not be empty' })]);

    const huge = await call('POST', '/api/incident/note', { raw: JSON.stringify({ text: 'x'.repeat(5 * 1024 * 1024) }) });
    expect(huge.status).toBe(413);
    expect(huge.body.code).toBe('payload_too_large');

    const long = await post('note', { text: 'é'.repeat(2100) }); // 4200 bytes in UTF-8, under the body limit
    expect(long.status).toBe(400);
    expect(long.body.errors).toEqual([expect.objectContaining({ field: 'text', message: expect.stringContaining('4 kB') })]);
    expect(await eventCount()).toBe(before);
  });

  it('when a role goes to a trainee the directory does not know, then it is a 400 naming the trainee; a known one takes it', async () => {
    const unknown = await post('role', { role: 'ic', trainee: 'mallory' });
    expect(unknown.status).toBe(400);
    expect(unknown.body.errors).toEqual([expect.objectContaining({ field: 'trainee', message: expect.stringContaining('No trainee "mallory"') })]);
    const badRole = await post('role', { role: 'boss', trainee: 'ada' });
    expect(badRole.status).toBe(400);
    expect(badRole.body.errors).toEqual([expect.objectContaining({ field: 'role' })]);
    const ic = await post('role', { role: 'ic', trainee: 'ada' });
    expect(ic.body.incident.roles).toMatchObject({ ic: 'ada', ops: null });
  });

  it('when the team changes severity, posts an update and a note, mitigates (twice at once) and resolves, then the status holds each with its event time', async () => {
    expect((await post('severity', { severity: 'P1', reason: 'every checkout is slow' })).status).toBe(200);
    expect(
      (await post('update', { kind: 'ack', text: 'We are investigating slow checkouts', impact: 'checkout p95 above 2 s', nextUpdateMinutes: 15 })).status,
    ).toBe(200);
    expect((await post('note', { text: 'p95 rose with the payments deploy' })).status).toBe(200);
    // Two trainees mark it mitigated at the same moment: decided one after the other, one wins.
    const raced = await Promise.all([post('mitigated'), post('mitigated')]);
    expect(raced.map((a) => a.status).sort()).toEqual([200, 409]);
    const { rows: mitigations } = await db.query(`SELECT count(*) FROM training.events WHERE run_id = $1 AND kind = 'incident.mitigated'`, [runId]);
    expect(Number(mitigations[0].count)).toBe(1);
    const resolved = await post('resolve', { category: 'bad-release', summary: 'rolled back payments 2.4.0' });
    expect(resolved.status).toBe(200);
    expect(resolved.body).toMatchObject({
      status: 'resolved',
      incident: { severity: 'P1', updates: [{ kind: 'ack', impact: 'checkout p95 above 2 s', nextUpdateMinutes: 15 }], resolved: { category: 'bad-release' } },
    });
    const { rows } = await db.query(`SELECT at FROM training.events WHERE run_id = $1 AND kind = 'incident.resolved'`, [runId]);
    expect(resolved.body.incident.resolved.at).toBe((rows[0].at as Date).toISOString());
    expect((await post('resolve', {})).body.code).toBe('incident_conflict');
  });

  it('when the team reads its timeline, then it sees its incident events and the page, oldest first, and nothing instructor-only', async () => {
    await db.query(`INSERT INTO training.events (run_id, actor, kind, data, visibility) VALUES ($1, 'scenario', 'fault.injected', '{}', 'instructor')`, [
      runId,
    ]);
    const { body } = await call('GET', '/api/incident/timeline');
    const kinds = (body.events as Array<{ kind: string }>).map((e) => e.kind);
    expect(kinds[0]).toBe('page');
    expect(kinds).toEqual(expect.arrayContaining(['incident.acknowledged', 'incident.declared', 'incident.mitigated', 'incident.resolved']));
    expect(kinds).not.toContain('fault.injected');
    const ids = (body.events as Array<{ id: number }>).map((e) => e.id);
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
  });

  it('when a hint is taken four minutes into the run, then the first comes and the second says when it is available', async () => {
    const first = await call('POST', '/api/hints/next');
    expect(first.status).toBe(200);
    expect(first.body.hint).toMatchObject({ index: 0, cost: 5 });
    const second = await call('POST', '/api/hints/next');
    expect(second.status).toBe(409);
    expect(second.body.code).toBe('hint_not_yet');
    expect(second.body.availableInSeconds).toBeGreaterThan(100);
    expect(second.body.availableInSeconds).toBeLessThanOrEqual(120);
    const listed = await call('GET', '/api/hints');
    expect(listed.body).toMatchObject({ runId, taken: [{ index: 0, cost: 5 }], next: { index: 1, cost: 10 } });
  });

  it('when the training process restarts, then the status is rebuilt from the database the same, and the recovered run takes no more commands', async () => {
    const before = (await call('GET', '/api/incident/status')).body;
    await training.restart();
    const after = (await call('GET', '/api/incident/status')).body;
    // The run left live by the previous process is ended at start-up; the incident is as it was.
    const { runState: _before, ...incidentBefore } = before;
    const { runState: _after, ...incidentAfter } = after;
    expect(incidentAfter).toEqual(incidentBefore);
    await expect.poll(async () => (await post('note', { text: 'late' })).body.code, { timeout: 10_000 }).toBe('no_run_live');
  });
});

describe('one team command at a time', () => {
  it('when two commands of one team overlap, then the second reads the journal after the first appended (the advisory lock)', async () => {
    const raceRun = `race-${randomUUID().slice(0, 8)}`;
    // Each command reads how many notes there are, waits, then appends one numbered after them.
    const command = () =>
      runTeamCommand(db, { runId: raceRun, team: null, idempotencyKey: randomUUID(), fingerprint: 'f' }, async (client) => {
        const { rows } = await client.query(`SELECT count(*) FROM training.events WHERE run_id = $1`, [raceRun]);
        await new Promise((resolve) => setTimeout(resolve, 200));
        const seen = Number(rows[0].count);
        await client.query(`INSERT INTO training.events (run_id, actor, kind, data) VALUES ($1, 'test', 'incident.note', $2)`, [raceRun, { seen }]);
        return { status: 200, body: { seen } };
      });
    const replies = await Promise.all([command(), command()]);
    expect(replies.map((r) => (r.body as { seen: number }).seen).sort()).toEqual([0, 1]);
  });
});

describe('after the run ends by its verdict', () => {
  it('when the shop held and the run ended resolved, then the team still resolves its incident; after the debrief nothing more is taken', async () => {
    const endedRun = `run-${randomUUID().replaceAll('-', '').slice(0, 12)}`;
    await db.query(
      `INSERT INTO training.runs (id, requested, scenario, title, seed, speed, blind, state, created_by, created_at, live_at, ended_at)
       VALUES ($1, 'lab1-high-latency', 'lab1-high-latency', 'Checkout is slow', 1, 1, false, 'resolved', 'operator', now() - interval '30 seconds', now() - interval '20 seconds', now())`,
      [endedRun],
    );
    const declared = await post('declare', { title: 'Checkout is slow', severity: 'P2' });
    expect(declared.status, JSON.stringify(declared.body)).toBe(200);
    expect(declared.body).toMatchObject({ runId: endedRun });
    expect((await post('resolve', { category: 'bad-release' })).body).toMatchObject({ runId: endedRun, status: 'resolved' });
    // Hints belong to a live run only.
    expect((await call('POST', '/api/hints/next', {})).body.code).toBe('no_run_live');

    await db.query('UPDATE training.runs SET debriefed_at = now() WHERE id = $1', [endedRun]);
    const late = await post('note', { text: 'after the debrief' });
    expect(late.status).toBe(409);
    expect(late.body).toMatchObject({ code: 'no_run_live', detail: expect.stringContaining('awaiting its debrief') });
  });
});
