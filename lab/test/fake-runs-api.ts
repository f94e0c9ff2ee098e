/**
 * A small stand-in for the training process's runs API (the issue 9 contract), for testing the
 * CLI's side without a lab: real HTTP on a real port, the contract's routes, roles and problem
 * answers, and a long poll that really waits. The test plays the run: it moves the run through
 * its states and appends events, as the training process would.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { ensureTokenFile } from '@firedrill/kit';
import { freePortBlock, portsFor } from '@firedrill/lab-infra';
import { writeLabState } from '../src/supervisor/lab-state.ts';
import type { Run, RunEvent, RunState, RunStatus, ScenarioSummary } from '@firedrill/training';

export interface FakeScenario extends ScenarioSummary {
  briefing: string;
  /** Only the instructor gets these, as the contract says. */
  secret: { answer: { severity: string; category: string; rootCause: string }; hints: { after?: number; cost: number; text: string }[] };
}

export interface RecordedRequest {
  method: string;
  path: string;
  role: 'operator' | 'instructor';
  body: unknown;
}

interface FakeRun {
  run: Run;
  events: RunEvent[];
  status: Omit<RunStatus, 'id' | 'state' | 'elapsedMs' | 'liveForMs' | 'timeboxMs'>;
  /** Minutes the instructor added (POST …/extend). */
  extendedMs?: number;
}

const finished = new Set<RunState>(['resolved', 'timed_out', 'stopped', 'refused', 'failed']);

export class FakeRunsApi {
  readonly requests: RecordedRequest[] = [];
  /** Answer this many status requests with 503 (the training process restarting). */
  failStatusTimes = 0;
  private readonly entries: FakeRun[] = [];
  private nextEventId = 1;
  private waiters: Array<() => void> = [];
  private readonly server: http.Server;
  private clock = Date.parse('2026-05-04T09:00:00.000Z');

  private readonly tokens: { operator: string; instructor: string };
  private readonly scenarios: FakeScenario[];

  constructor(tokens: { operator: string; instructor: string }, scenarios: FakeScenario[]) {
    this.tokens = tokens;
    this.scenarios = scenarios;
    this.server = http.createServer((req, res) => {
      void this.handle(req, res);
    });
  }

  async listen(port = 0): Promise<number> {
    await new Promise<void>((resolve) => this.server.listen(port, '127.0.0.1', resolve));
    return (this.server.address() as AddressInfo).port;
  }

  async close(): Promise<void> {
    for (const wake of this.waiters) wake();
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server.close(resolve));
  }

  runById(id: string): Run {
    const found = this.entries.find((r) => r.run.id === id);
    if (!found) throw new Error(`no run ${id}`);
    return found.run;
  }

  /** Every run, newest first. */
  runs(): Run[] {
    return this.entries.map((r) => r.run);
  }

  eventsOf(id: string): RunEvent[] {
    return this.entries.find((r) => r.run.id === id)?.events ?? [];
  }

  /** A run as POST /api/runs would make it, for tests that need one going before the CLI starts. */
  createRun(scenario: string, options: { seed?: number; speed?: number; blind?: boolean } = {}): Run {
    const found = this.scenarios.find((s) => s.id === scenario)!;
    const blind = options.blind ?? false;
    const run: Run = {
      id: `run-${this.entries.length + 1}`,
      scenario,
      title: found.title,
      state: 'warming',
      reason: null,
      seed: options.seed ?? 1,
      speed: options.speed ?? 1,
      blind,
      team: null,
      createdAt: this.now(0),
      liveAt: null,
      endedAt: null,
      briefing: blind ? null : found.briefing,
    };
    this.entries.unshift({
      run,
      events: [],
      status: {
        phase: 'warming',
        signals: { checkoutRate: null, errorRatio: null, p95Ms: null },
        firingAlerts: [],
        levers: [],
        probes: [],
        holdingForMs: 0,
        pausedAt: null,
      },
    });
    this.emit(run.id, 'run.state', { state: 'warming' }, 'training');
    return run;
  }

  /** Appends an event `afterSeconds` into the run, waking long polls. */
  emit(
    runId: string,
    kind: string,
    data: Record<string, unknown>,
    actor: string,
    afterSeconds?: number,
    visibility: 'everyone' | 'instructor' = 'everyone',
  ): RunEvent {
    const entry = this.entries.find((r) => r.run.id === runId)!;
    const at = afterSeconds === undefined ? this.now(entry.events.length) : new Date(Date.parse(entry.run.createdAt) + afterSeconds * 1000).toISOString();
    const event: RunEvent = { id: this.nextEventId++, at, runId, team: null, actor, kind, data, visibility };
    entry.events.push(event);
    this.wake();
    return event;
  }

  /** Moves the run to `state` with its run.state event, as the training process does. */
  setState(runId: string, state: RunState, reason: string | null = null, afterSeconds?: number): void {
    const { run } = this.entries.find((r) => r.run.id === runId)!;
    const event = this.emit(runId, 'run.state', reason ? { state, reason } : { state }, 'training', afterSeconds);
    run.state = state;
    run.reason = reason;
    if (state === 'live') run.liveAt = event.at;
    if (finished.has(state)) run.endedAt = event.at;
  }

  setStatus(runId: string, status: Partial<FakeRun['status']>): void {
    const entry = this.entries.find((r) => r.run.id === runId)!;
    entry.status = { ...entry.status, ...status };
  }

  private timeboxOf(entry: FakeRun): number {
    return (this.scenarios.find((s) => s.id === entry.run.scenario)?.timeboxMs ?? 0) + (entry.extendedMs ?? 0);
  }

  private now(offsetSeconds: number): string {
    return new Date(this.clock + offsetSeconds * 1000).toISOString();
  }

  private wake(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const wake of waiters) wake();
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://fake');
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const text = Buffer.concat(chunks).toString('utf8');
    const send = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': status >= 400 ? 'application/problem+json' : 'application/json' });
      res.end(JSON.stringify(body));
    };
    const problem = (status: number, code: string, detail: string, extra: Record<string, unknown> = {}) =>
      send(status, { type: 'about:blank', title: code, status, code, detail, ...extra });

    const token = req.headers.authorization?.replace(/^Bearer /, '');
    const role = token === this.tokens.instructor ? 'instructor' : token === this.tokens.operator ? 'operator' : undefined;
    if (!role) return problem(401, 'unauthorized', 'a valid token is required');
    let body: unknown;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      return problem(400, 'invalid_json', 'the body is not JSON');
    }
    this.requests.push({ method: req.method ?? '', path: url.pathname + url.search, role, body });

    const parts = url.pathname.split('/').filter(Boolean); // api, runs, {id}, events
    if (req.method === 'GET' && url.pathname === '/api/scenarios')
      return send(200, {
        scenarios: this.scenarios.map(({ id, title, curriculum, difficulty, timeboxMs }) => ({ id, title, curriculum, difficulty, timeboxMs })),
      });
    if (req.method === 'GET' && parts[1] === 'scenarios' && parts.length === 3) {
      const found = this.scenarios.find((s) => s.id === parts[2]);
      if (!found) return problem(404, 'scenario_not_found', `no scenario "${parts[2]}"`);
      const { secret, ...operatorView } = found;
      return send(200, role === 'instructor' ? { ...operatorView, ...secret } : operatorView);
    }
    if (req.method === 'POST' && url.pathname === '/api/runs') {
      const request = body as { scenario?: unknown; seed?: unknown; speed?: unknown; blind?: unknown };
      if (typeof request?.scenario !== 'string') return problem(400, 'invalid_request', 'scenario: required');
      if (request.speed !== undefined && (typeof request.speed !== 'number' || request.speed < 0.1 || request.speed > 100))
        return problem(400, 'invalid_request', 'speed: must be from 0.1 to 100');
      if (!this.scenarios.some((s) => s.id === request.scenario)) return problem(404, 'scenario_not_found', `no scenario "${request.scenario}"`);
      const going = this.entries.find((r) => !finished.has(r.run.state));
      if (going) return problem(409, 'run_in_progress', `run ${going.run.id} is not finished`, { runId: going.run.id });
      return send(
        201,
        this.createRun(request.scenario, {
          ...(typeof request.seed === 'number' && { seed: request.seed }),
          ...(typeof request.speed === 'number' && { speed: request.speed }),
          ...(request.blind === true && { blind: true }),
        }),
      );
    }
    if (req.method === 'GET' && url.pathname === '/api/runs') return send(200, { runs: this.entries.map((r) => r.run) });
    const entry = parts[1] === 'runs' ? this.entries.find((r) => r.run.id === parts[2]) : undefined;
    if (parts[1] === 'runs' && !entry) return problem(404, 'run_not_found', `no run "${parts[2]}"`);
    if (entry && req.method === 'GET' && parts.length === 3) return send(200, entry.run);
    if (entry && req.method === 'POST' && parts[3] === 'stop') {
      if (!finished.has(entry.run.state)) this.setState(entry.run.id, 'stopped', `stopped by ${req.headers['x-firedrill-actor'] ?? 'someone'}`);
      return send(200, entry.run);
    }
    if (entry && req.method === 'POST' && (parts[3] === 'pause' || parts[3] === 'resume' || parts[3] === 'extend')) {
      // The contract: instructor only; 409 unless live (and paused for resume, not for pause); 200 with the status.
      if (role !== 'instructor') return problem(403, 'forbidden', 'this needs the instructor token');
      if (entry.run.state !== 'live')
        return problem(409, 'run_not_live', `Run ${entry.run.id} is ${entry.run.state}: pause, resume and extend apply to a live run`);
      if (parts[3] === 'pause') {
        if (entry.status.pausedAt) return problem(409, 'run_already_paused', 'The run is already paused (POST …/resume continues it)');
        entry.status.pausedAt = this.now(entry.events.length);
        this.emit(entry.run.id, 'run.paused', { elapsedMs: 0 }, 'instructor');
      } else if (parts[3] === 'resume') {
        if (!entry.status.pausedAt) return problem(409, 'run_not_paused', 'The run is not paused');
        entry.status.pausedAt = null;
        this.emit(entry.run.id, 'run.resumed', { pausedForMs: 0 }, 'instructor');
      } else {
        const minutes = (body as { minutes?: unknown })?.minutes;
        if (typeof minutes !== 'number' || minutes < 1 || minutes > 30) return problem(400, 'validation_failed', 'minutes: must be 1..30');
        entry.extendedMs = (entry.extendedMs ?? 0) + minutes * 60_000;
        this.emit(entry.run.id, 'run.extended', { minutes, timeboxMs: this.timeboxOf(entry) }, 'instructor');
      }
      parts[3] = 'status';
    }
    if (entry && parts[3] === 'status') {
      if (this.failStatusTimes > 0) {
        this.failStatusTimes--;
        return problem(503, 'unavailable', 'the training process is starting');
      }
      const { run } = entry;
      const created = Date.parse(run.createdAt);
      const last = Date.parse(entry.events.at(-1)?.at ?? run.createdAt);
      const timeboxMs = this.timeboxOf(entry);
      return send(200, {
        id: run.id,
        state: run.state,
        elapsedMs: last - created,
        liveForMs: run.liveAt ? last - Date.parse(run.liveAt) : null,
        timeboxMs,
        ...entry.status,
      } satisfies RunStatus);
    }
    if (entry && req.method === 'GET' && parts[3] === 'events') {
      const after = Number(url.searchParams.get('after') ?? 0);
      const waitMs = Math.min(25_000, Number(url.searchParams.get('waitMs') ?? 0));
      const pending = () => entry.events.filter((e) => e.id > after && (role === 'instructor' || e.visibility === 'everyone'));
      if (pending().length === 0 && waitMs > 0) {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, waitMs);
          this.waiters.push(() => {
            clearTimeout(timer);
            resolve();
          });
        });
      }
      return send(200, { events: pending() });
    }
    return problem(404, 'not_found', `${req.method} ${url.pathname}`);
  }
}

/** Lab 1 as the fake serves it: the real id (so `show` finds the real file's par), a short briefing. */
export const fakeScenarios: FakeScenario[] = [
  {
    id: 'lab1-high-latency',
    title: 'Checkout is slow',
    curriculum: 'Day 4, Lab 1',
    difficulty: 1,
    timeboxMs: 1_200_000,
    briefing: '# Checkout is slow\n\nWatch the golden signals.\n',
    secret: {
      answer: { severity: 'P2', category: 'bad-release', rootCause: 'payments 2.4.0 scores every charge synchronously' },
      hints: [
        { after: 180_000, cost: 5, text: 'Which service got slower first?' },
        { cost: 25, text: '`lab rollback payments` ends it.' },
      ],
    },
  },
  {
    id: 'lab4-worker-exit',
    title: 'Orders are not fulfilled',
    curriculum: 'Day 4, Lab 4',
    difficulty: 2,
    timeboxMs: 5_400_000,
    briefing: 'Orders pile up.',
    secret: { answer: { severity: 'P2', category: 'capacity', rootCause: 'the worker was OOM-killed' }, hints: [{ cost: 25, text: '`lab restart worker`' }] },
  },
];

export interface FakeLab {
  stateDir: string;
  portBase: number;
  api: FakeRunsApi;
  /** The environment a `lab` child process needs to find this lab. */
  env: NodeJS.ProcessEnv;
  /** Makes the instructor token readable in the state dir (it is not, at first). */
  addInstructorToken(): void;
  close(): Promise<void>;
}

/**
 * A state dir that `lab` takes for a running lab (lab.json naming this test process as the
 * supervisor, the operator token) with the fake runs API where the training process would listen.
 */
export async function startFakeLab(): Promise<FakeLab> {
  const stateDir = mkdtempSync(path.join(os.tmpdir(), 'firedrill-fake-runs-'));
  const operator = ensureTokenFile(path.join(stateDir, 'secrets', 'operator-token'));
  const instructorFile = path.join(stateDir, 'secrets', 'instructor-token');
  const instructor = randomBytes(32).toString('base64url');
  const api = new FakeRunsApi({ operator, instructor }, fakeScenarios);
  const portBase = await freePortBlock();
  await api.listen(portsFor(portBase).training);
  writeLabState(stateDir, { pid: process.pid, controlPort: portsFor(portBase).supervisor, portBase, startedAt: new Date().toISOString(), processes: {} });
  return {
    stateDir,
    portBase,
    api,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, LAB_STATE_DIR: stateDir, LAB_PORT_BASE: String(portBase) },
    addInstructorToken: () => writeFileSync(instructorFile, `${instructor}\n`, { mode: 0o600 }),
    async close() {
      await api.close();
      rmSync(stateDir, { recursive: true, force: true });
    },
  };
}
