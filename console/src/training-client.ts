import { z } from 'zod';
import { HttpProblem, problems } from '@firedrill/kit';
import { consoleProblems } from './session/console-problems.ts';
import type { Caller } from './session/session-store.ts';

const callerSchema = z.object({
  role: z.enum(['instructor', 'operator', 'trainee', 'agent']),
  actor: z.string(),
  team: z.string().nullable(),
  trainee: z.string().nullable(),
});

/** A call to the training API as someone (their lab token), with a deadline. */
export async function callTraining(trainingUrl: string, token: string, pathAndQuery: string, init: RequestInit = {}): Promise<Response> {
  const headers = new Headers(init.headers);
  headers.set('authorization', `Bearer ${token}`);
  try {
    return await fetch(new URL(pathAndQuery, trainingUrl), { ...init, headers });
  } catch (err) {
    if (init.signal?.aborted) throw err;
    throw new HttpProblem(problems.dependency_unavailable, 'The training API cannot be reached', { cause: err });
  }
}

/**
 * Who a token is, by asking the training API (the only place that decides identity). An unknown
 * token is 401; the agent token (the services' flag reads) cannot sign in to a page.
 */
export async function whoIs(trainingUrl: string, token: string): Promise<Caller> {
  const response = await callTraining(trainingUrl, token, '/api/whoami', { signal: AbortSignal.timeout(5000) });
  if (response.status === 401) throw new HttpProblem(consoleProblems.token_not_recognised);
  if (!response.ok) throw new HttpProblem(problems.dependency_unavailable, `The training API answered whoami with ${response.status}`);
  const caller = callerSchema.parse(await response.json());
  if (caller.role === 'agent') throw new HttpProblem(problems.forbidden, 'The agent token is for the services, not for people');
  return caller;
}
