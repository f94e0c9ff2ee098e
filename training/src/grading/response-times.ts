import { formatDuration } from '@firedrill/chaos';
import type { JournalEvent, RunMilestones } from '../runs/run-milestones.ts';
import type { Grade, TimeFigure } from './grade-schema.ts';
import { atMs, ofKind } from './grading-journal.ts';
import { pausesOf, spanLessPauses } from './paused-time.ts';

export interface ParMs {
  detect: number;
  acknowledge: number;
  mitigate: number;
  resolve: number;
}

export interface ResponseTimes {
  times: Grade['times'];
  mitigatedBy: Grade['mitigatedBy'];
  findings: string[];
}

/** A figure against its par: within par, over by how much, or never reached. */
export function againstPar(ms: number | null, parMs: number): TimeFigure {
  if (ms === null) return { ms: null, parMs, overParMs: null, verdict: 'not reached' };
  const over = Math.max(0, ms - parMs);
  return { ms, parMs, overParMs: over, verdict: over === 0 ? 'within par' : `over par by ${formatDuration(over)}` };
}

/**
 * TTD, TTA, TTM and TTR from the journal's own times (TRAINING.md's definitions):
 *   TTD = the first acknowledgement or declaration at or after the fault − the fault;
 *   TTA = the acknowledgement − the first page (0 when the team acknowledged before the page);
 *   TTM = when the probes began to hold for good (run-milestones' holdingAtMs, once they held for
 *         `stability`) − the fault; an instructor's stop counts the time until it, flagged;
 *   TTR = the trainees' resolve while the probes held − the fault (a resolve while they failed
 *         does not count).
 * Time the instructor paused the run is left out of each of them (paused-time.ts).
 */
export function responseTimes(journal: readonly JournalEvent[], milestones: RunMilestones, par: ParMs, stabilityMs: number): ResponseTimes {
  const findings: string[] = [];
  const faultAt = milestones.fault?.atMs;
  if (faultAt === undefined) {
    findings.push('no fault was injected in this run: no response time can be measured');
    const none = { detect: null, acknowledge: null, mitigate: null, resolve: null };
    return { times: figures(none, par), mitigatedBy: null, findings };
  }
  const afterFault = (events: JournalEvent[]) => events.filter((event) => atMs(event) >= faultAt);
  const endMs = milestones.endedAtMs ?? Math.max(...journal.map(atMs));
  const pauses = pausesOf(journal, endMs);
  const since = (fromMs: number, toMs: number) => spanLessPauses(pauses, fromMs, toMs);
  if (pauses.length > 0) {
    const paused = pauses.reduce((sum, pause) => sum + pause.toMs - pause.fromMs, 0);
    findings.push(`the instructor paused the run for ${formatDuration(paused)} in all; time paused is not counted in the response times`);
  }

  const noticed = afterFault([...ofKind(journal, 'incident.acknowledged'), ...ofKind(journal, 'incident.declared')]).map(atMs);
  const detect = noticed.length > 0 ? since(faultAt, Math.min(...noticed)) : null;
  if (detect === null) findings.push('the team never acknowledged or declared an incident after the fault');

  const firstPage = afterFault(ofKind(journal, 'page'))[0];
  const firstAck = afterFault(ofKind(journal, 'incident.acknowledged'))[0];
  let acknowledge: number | null = null;
  if (!firstPage) findings.push('no page was sent, so time to acknowledge is not measured');
  else if (!firstAck) findings.push('the page was never acknowledged');
  else acknowledge = Math.max(0, since(atMs(firstPage), atMs(firstAck)));

  let mitigate: number | null = null;
  let mitigatedBy: Grade['mitigatedBy'] = null;
  let holdingAt: number | undefined;
  // The journal records a probe's verdict each time it changes, but the run's own verdict honours
  // each probe's tolerance (a brief failure within it does not break the hold): a run that ended
  // `resolved` had the probes holding for the stability window by then, even when the replayed
  // verdicts say a few seconds less. Its hold began at the latest one window before the end.
  const heldFor = milestones.holdingAtMs === undefined ? undefined : endMs - milestones.holdingAtMs;
  const holdingAtMs =
    milestones.holdingAtMs !== undefined && milestones.state === 'resolved' && heldFor !== undefined && heldFor < stabilityMs
      ? endMs - stabilityMs
      : milestones.holdingAtMs;
  if (holdingAtMs !== undefined && endMs - holdingAtMs >= stabilityMs) {
    holdingAt = holdingAtMs;
    mitigate = since(faultAt, holdingAt);
    mitigatedBy = whoEnded(journal);
    if (mitigatedBy === 'expiry') findings.push('the cause ended by itself (it expired); the probes held from then');
    if (mitigatedBy === 'instructor') findings.push('the lever that ended the cause was pulled by the instructor');
  } else if (milestones.state === 'stopped') {
    // The instructor halted the run: the time until the halt still counts, but not as the team's mitigation.
    mitigate = since(faultAt, endMs);
    mitigatedBy = 'instructor';
    findings.push(`the instructor stopped the run ${formatDuration(mitigate)} after the fault; the team had not mitigated it`);
  } else if (milestones.holdingAtMs !== undefined) {
    findings.push(`the probes held only ${formatDuration(endMs - milestones.holdingAtMs)} of the ${formatDuration(stabilityMs)} stability window`);
  } else {
    findings.push(milestones.state === 'timed_out' ? 'not mitigated before the run timed out' : 'the probes never held after the fault');
  }

  let resolve: number | null = null;
  const resolves = afterFault(ofKind(journal, 'incident.resolved'));
  const whileHolding = holdingAt === undefined ? undefined : resolves.find((event) => atMs(event) >= holdingAt);
  if (whileHolding) resolve = since(faultAt, atMs(whileHolding));
  else if (resolves.length > 0) findings.push('the incident was resolved while the probes were still failing: it does not count as resolved');
  else findings.push('the team never resolved the incident');

  return { times: figures({ detect, acknowledge, mitigate, resolve }, par), mitigatedBy, findings };
}

function figures(times: Record<keyof ParMs, number | null>, par: ParMs): Grade['times'] {
  return {
    detect: againstPar(times.detect, par.detect),
    acknowledge: againstPar(times.acknowledge, par.acknowledge),
    mitigate: againstPar(times.mitigate, par.mitigate),
    resolve: againstPar(times.resolve, par.resolve),
  };
}

/** Who ended the last cause to end: a lever (the trainees', unless the instructor pulled it) or its expiry. */
function whoEnded(journal: readonly JournalEvent[]): Grade['mitigatedBy'] {
  const last = ofKind(journal, 'cause.ended').at(-1);
  if (!last) return 'trainees';
  if (last.data?.by === 'expired') return 'expiry';
  const actor = typeof last.data?.actor === 'string' ? last.data.actor : '';
  return actor.startsWith('instructor') ? 'instructor' : 'trainees';
}
