import { randomUUID } from 'node:crypto';
import { accessSync, constants } from 'node:fs';
import os from 'node:os';
import { chaosTokenFiles } from '../chaos/chaos-tokens.ts';
import type { LabConfig } from '../config/lab-config.ts';
import { operatorTokenFile } from '../topology/training-tokens.ts';
import { callerToken } from './caller-token.ts';
import type { RunningLab } from './running-lab.ts';
import { LabRefusal, UsageError } from './command.ts';

/**
 * The CLI's side of the training process's ops API, with the caller's token (caller-token.ts):
 * a trainee's own (FIREDRILL_TOKEN or ~/.config/firedrill/token), else the state dir's, the
 * operator's for levers and the instructor's for deploys and identities. The user's login name
 * goes with each request (X-Firedrill-Actor), so the events say who pulled the lever (a trainee's
 * token names its trainee instead). Each write carries an Idempotency-Key made once per command
 * invocation (one client): the server records a command once, however often the request reaches it.
 */
export function trainingClient(lab: RunningLab, config: Pick<LabConfig, 'stateDir'>, role: 'operator' | 'instructor' = 'operator') {
  const base = `http://127.0.0.1:${lab.ports.training}`;
  const stateFile = role === 'operator' ? operatorTokenFile(config) : chaosTokenFiles(config).instructor;
  const invocation = randomUUID();
  let writes = 0;
  const call = async <T>(method: string, path: string, body?: unknown, signal?: AbortSignal): Promise<T> => {
    const token = callerToken({ env: process.env, home: os.homedir(), stateFile, role });
    // A second write of the same invocation is another command: it gets a key of its own.
    const idempotencyKey = method === 'GET' ? undefined : `${invocation}-${++writes}`;
    let response: Response;
    try {
      response = await fetch(`${base}${path}`, {
        method,
        // Deploys and restarts wait for the supervisor; a dead-letter may wait for a worker's lock.
        // A caller's signal (Ctrl-C while watching a run) ends a long poll at once.
        signal: signal ? AbortSignal.any([signal, AbortSignal.timeout(90_000)]) : AbortSignal.timeout(90_000),
        headers: {
          authorization: `Bearer ${token}`,
          'x-firedrill-actor': actorName(),
          ...(idempotencyKey && { 'idempotency-key': idempotencyKey }),
          ...(body !== undefined && { 'content-type': 'application/json' }),
        },
        ...(body !== undefined && { body: JSON.stringify(body) }),
      });
    } catch (err) {
      if (signal?.aborted) throw err;
      throw new LabRefusal(`the training process does not answer at ${base} (${(err as Error).message}); see \`lab status\``);
    }
    const answer = (await response.json().catch(() => ({}))) as Problem;
    // Aborted while the body was read: the half-read answer must not pass for an empty one.
    if (signal?.aborted) throw signal.reason;
    if (response.status === 400) throw new UsageError(answer.detail ?? answer.title ?? 'the training process refused the request');
    if (!response.ok) throw new TrainingApiError(response.status, answer, answer.detail ?? answer.title ?? `${method} ${path} answered ${response.status}`);
    return answer as T;
  };
  return {
    get: <T>(path: string, signal?: AbortSignal) => call<T>('GET', path, undefined, signal),
    post: <T>(path: string, body?: unknown, signal?: AbortSignal) => call<T>('POST', path, body, signal),
    put: <T>(path: string, body: unknown) => call<T>('PUT', path, body),
    delete: <T>(path: string) => call<T>('DELETE', path),
  };
}

/**
 * For reading reports and the scoreboard: the instructor's view when this user can read the
 * instructor token (the instructor's account), the operator's (a trainee's view) otherwise.
 */
export function readingClient(lab: RunningLab, config: Pick<LabConfig, 'stateDir'>) {
  let role: 'instructor' | 'operator' = 'operator';
  try {
    accessSync(chaosTokenFiles(config).instructor, constants.R_OK);
    role = 'instructor';
  } catch {
    // Not the instructor: the operator's view it is.
  }
  return trainingClient(lab, config, role);
}

/** A problem+json answer: `code` is stable, the rest is for people (409 run_in_progress names the run). */
export interface Problem {
  code?: string;
  title?: string;
  detail?: string;
  [field: string]: unknown;
}

/** The training process refused: still a LabRefusal (one line, exit 1), with the answer for callers that act on it. */
export class TrainingApiError extends LabRefusal {
  override name = 'TrainingApiError';
  readonly status: number;
  readonly problem: Problem;
  constructor(status: number, problem: Problem, message: string) {
    super(message);
    this.status = status;
    this.problem = problem;
  }
}

/** What a lever's answer carries. */
export interface LeverOutcome {
  lever: string;
  summary: string;
  details: Record<string, unknown>;
}

/** The login name, trimmed to what the ops API accepts as an actor name. */
function actorName(): string {
  let name = 'cli';
  try {
    name = os.userInfo().username;
  } catch {
    // No passwd entry (a container's arbitrary uid): "cli" it is.
  }
  return name.replace(/[^A-Za-z0-9 ._@-]/g, '').slice(0, 64) || 'cli';
}

/** `?team=<team>` for a class's team (`--team`), or nothing: the query the training API's reads and rollback take. */
export function teamQuery(team: string | undefined): string {
  return team ? `?${new URLSearchParams({ team })}` : '';
}
