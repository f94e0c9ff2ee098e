import os from 'node:os';
import { readToken } from '@firedrill/kit';
import { chaosTokenFiles } from '../chaos/chaos-tokens.ts';
import type { LabConfig } from '../config/lab-config.ts';
import { operatorTokenFile } from '../topology/training-tokens.ts';
import type { RunningLab } from './running-lab.ts';
import { LabRefusal, UsageError } from './command.ts';

/**
 * The CLI's side of the training process's ops API, with a token from the state dir: the
 * operator's for levers, the instructor's for deploys. The user's login name goes with each
 * request (X-Firedrill-Actor), so the events say who pulled the lever.
 */
export function trainingClient(lab: RunningLab, config: Pick<LabConfig, 'stateDir'>, role: 'operator' | 'instructor' = 'operator') {
  const base = `http://127.0.0.1:${lab.ports.training}`;
  const tokenFile = role === 'operator' ? operatorTokenFile(config) : chaosTokenFiles(config).instructor;
  const call = async <T>(method: string, path: string, body?: unknown): Promise<T> => {
    let token: string;
    try {
      token = readToken(tokenFile);
    } catch {
      throw new LabRefusal(`cannot read the ${role} token (${tokenFile}): ${role === 'instructor' ? 'only the instructor can do this' : 'is this your lab?'}`);
    }
    let response: Response;
    try {
      response = await fetch(`${base}${path}`, {
        method,
        // Deploys and restarts wait for the supervisor; a dead-letter may wait for a worker's lock.
        signal: AbortSignal.timeout(90_000),
        headers: {
          authorization: `Bearer ${token}`,
          'x-firedrill-actor': actorName(),
          ...(body !== undefined && { 'content-type': 'application/json' }),
        },
        ...(body !== undefined && { body: JSON.stringify(body) }),
      });
    } catch (err) {
      throw new LabRefusal(`the training process does not answer at ${base} (${(err as Error).message}); see \`lab status\``);
    }
    const answer = (await response.json().catch(() => ({}))) as { detail?: string; title?: string };
    if (response.status === 400) throw new UsageError(answer.detail ?? answer.title ?? 'the training process refused the request');
    if (!response.ok) throw new LabRefusal(answer.detail ?? answer.title ?? `${method} ${path} answered ${response.status}`);
    return answer as T;
  };
  return {
    get: <T>(path: string) => call<T>('GET', path),
    post: <T>(path: string, body?: unknown) => call<T>('POST', path, body),
    put: <T>(path: string, body: unknown) => call<T>('PUT', path, body),
  };
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
