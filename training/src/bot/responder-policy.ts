import { diagnose, isPage, type Candidate, type Diagnosis } from './diagnose.ts';
import { endedRunStates, type Observations, type RunView } from './observations.ts';

/** A lever the bot pulled, and when. */
export interface Pull {
  lever: string;
  at: number;
  /** It undid an earlier easing (degraded mode off): it fixed nothing, so it names no cause. */
  restores?: boolean | undefined;
}

/** What the bot remembers between rounds. */
export interface ResponderMemory {
  /** When it was paged (the first page or ticket of the run it saw). */
  pagedAt?: number | undefined;
  pulls: Pull[];
  /** The runbook running now, if any: no other lever is pulled until it has finished. */
  runbookInFlight?: string | undefined;
  /** Levers whose runbook stopped before acting and were given one more try. */
  retried?: Set<string> | undefined;
}

export type Decision =
  | { do: 'wait'; why: string; diagnosis?: Diagnosis }
  | { do: 'pull'; candidate: Candidate; why: string; diagnosis: Diagnosis }
  | { do: 'finish'; why: string };

export interface PolicyOptions {
  /**
   * How long a lever gets to show its effect before the bot escalates. The signals are 1-minute
   * rates and p95s, so anything much under a minute would judge a fix by the outage's own data.
   */
  graceMs: number;
}

export const defaultPolicyOptions: PolicyOptions = { graceMs: 75_000 };

/**
 * The responder's one decision per round, from what it sees now and what it did before. Pure, so
 * the path over time (pull, wait out the grace period, escalate or keep watching) is unit-tested
 * with hand-built rounds:
 * - nothing before a page: a trainee acts on a page, not on a hunch;
 * - a lever gets `graceMs` to work; then, if the probes do not hold and a symptom remains — or the
 *   symptom is getting worse by itself (a heap climbing again) even while they hold — the next
 *   candidate not yet pulled is pulled: the bot never stops at a lever that only eased;
 * - a lever is never pulled twice for one incident, except one that restores an easing (degraded
 *   mode off once the database is back), which comes after that easing, as soon as it is seen.
 */
export function decide(memory: ResponderMemory, obs: Observations, run: RunView, options: PolicyOptions = defaultPolicyOptions): Decision {
  if (endedRunStates.includes(run.state)) return { do: 'finish', why: `the run ended (${run.state})` };
  const paged = memory.pagedAt !== undefined || obs.alerts.some(isPage);
  if (!paged) return { do: 'wait', why: 'no page yet' };

  const diagnosis = diagnose(obs);
  // One runbook at a time: its own verify step is already watching whether its lever worked.
  if (memory.runbookInFlight) return { do: 'wait', why: `running runbook ${memory.runbookInFlight}`, diagnosis };
  const last = memory.pulls.at(-1);
  const pulledAt = (lever: string) => Math.max(-Infinity, ...memory.pulls.filter((p) => p.lever === lever).map((p) => p.at));
  // Undoing an easing whose reason is over does not wait out the grace period: every second of
  // degraded mode after the database is back is a checkout refused for nothing.
  const restore = diagnosis.candidates.find((c) => c.effect === 'restores' && pulledAt(c.lever) < pulledAt(undoneBy(c.lever)));
  if (restore) return { do: 'pull', candidate: restore, why: 'what an earlier lever eased is over', diagnosis };

  if (last && obs.at - last.at < options.graceMs)
    // No countdown in the words: the loop logs a wait only when its reason changes.
    return { do: 'wait', why: `giving ${last.lever} ${Math.round(options.graceMs / 1000)} s to work`, diagnosis };

  const holding = run.holdingForMs > 0;
  if (diagnosis.symptoms.length === 0) return { do: 'wait', why: holding ? 'probes holding' : 'no symptom the runbooks describe; watching', diagnosis };
  if (holding && !diagnosis.worsening) return { do: 'wait', why: `probes holding for ${Math.round(run.holdingForMs / 1000)} s`, diagnosis };

  const next = diagnosis.candidates.find((c) => c.effect !== 'restores' && pulledAt(c.lever) === -Infinity);
  if (!next) return { do: 'wait', why: `no untried lever for: ${diagnosis.symptoms.join('; ')}`, diagnosis };
  const why =
    memory.pulls.length === 0
      ? `paged: ${diagnosis.symptoms.join('; ')}`
      : `after ${last?.lever}: ${holding ? 'still getting worse' : 'probes not holding'} (${diagnosis.symptoms.join('; ')})`;
  return { do: 'pull', candidate: next, why, diagnosis };
}

/**
 * What the responder keeps of a round: when it was first paged, and the lever it pulled — with the
 * one its runbook pulls right after (dead-letter, then restart the worker), so neither is pulled
 * again.
 */
export function remember(memory: ResponderMemory, obs: Observations, decision: Decision): void {
  if (memory.pagedAt === undefined) {
    const firstPage = obs.alerts.filter(isPage).map((a) => a.firedAt);
    if (firstPage.length > 0) memory.pagedAt = Math.min(...firstPage);
  }
  if (decision.do !== 'pull') return;
  const { candidate } = decision;
  memory.pulls.push({ lever: candidate.lever, at: obs.at, restores: candidate.effect === 'restores' });
  if (candidate.andThen) memory.pulls.push({ lever: candidate.andThen, at: obs.at });
}

/** "flag x false" restores what "flag x true" did. */
function undoneBy(lever: string): string {
  const words = lever.split(' ');
  if (words[0] !== 'flag' || words.length !== 3) return lever;
  return `flag ${words[1]} ${words[2] === 'false' ? 'true' : 'false'}`;
}
