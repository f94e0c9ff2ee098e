import { setTimeout as sleep } from 'node:timers/promises';
import type { BotRunbookOutcome } from './bot-runbooks.ts';
import { causeCategoryFrom } from './cause-category.ts';
import type { Candidate } from './diagnose.ts';
import { incidentSide } from './incident-side.ts';
import type { MetricsObserver } from './metrics-observer.ts';
import type { Observations, RunView } from './observations.ts';
import { writePir } from './pir-side.ts';
import { decide, defaultPolicyOptions, remember, type PolicyOptions, type Pull, type ResponderMemory } from './responder-policy.ts';
import { runbookFor, type RunbookChoice } from './runbook-choice.ts';
import type { TraineeClients } from './trainee-clients.ts';

export interface ResponderDeps {
  clients: Pick<TraineeClients, 'firingAlerts' | 'releases' | 'flags' | 'incidentStatus' | 'incidentCommand' | 'pirDraft' | 'pirCheck' | 'pirSubmit'>;
  /** Runs one executable runbook (bot-runbooks.ts: the runner with the bot's executors). */
  runRunbook: (choice: RunbookChoice) => Promise<BotRunbookOutcome>;
  /** The run as the operator sees it (GET /api/runs/{id}/status). */
  runStatus: () => Promise<RunView>;
  metrics: Pick<MetricsObserver, 'observe'>;
  /** The job the worker's fatal log lines name again and again, when the bot can read them. */
  poisonJob?: ((since: number) => Promise<Observations['poisonJob']>) | undefined;
  /** Alerts that fired before this are not the run's. */
  since: number;
  signal: AbortSignal;
  log: (line: string) => void;
  /** The bot's name: its roles, its updates' commander, its review's author. */
  actorName?: string | undefined;
  /** How often it looks: the lab scrapes and evaluates every 5 s, so faster sees nothing new. */
  roundMs?: number;
  policy?: PolicyOptions;
}

export interface BotOutcome {
  /** Every lever the bot pulled, in order. */
  pulls: Pull[];
  /** How the run ended, or `aborted` when the bot was stopped first. */
  ended: string;
  /** The review's score as the lab gave it, when the bot submitted one. */
  pirScore?: number | undefined;
}

/**
 * The bot's loop: look (alerts, metrics, releases, flags, the run), decide (responder-policy.ts),
 * act (the runbook that pulls the chosen lever), and keep the incident (incident-side.ts), every
 * `roundMs`, until the run ends; then resolve, post the resolution and write the review
 * (pir-side.ts). A round that cannot see the lab is logged and the next one tries again: the lab
 * restarting a service must not end the responder.
 */
export async function respond(deps: ResponderDeps): Promise<BotOutcome> {
  const memory: ResponderMemory = { pulls: [] };
  const roundMs = deps.roundMs ?? 5_000;
  const actorName = deps.actorName ?? 'bot';
  // Bare lines: whoever shows them says they are the bot's (the CLI's views label them).
  const say = (line: string) => deps.log(line);
  const incident = incidentSide({ clients: deps.clients, actorName, say });
  const record: { symptoms: string[]; evidence: string[]; runbooks: Map<string, string>; progress?: string; running?: Promise<void> } = {
    symptoms: [],
    evidence: [],
    runbooks: new Map(),
  };
  let lastWhy = '';
  let ended: string | undefined;

  while (!deps.signal.aborted && ended === undefined) {
    try {
      const [run, obs] = await Promise.all([deps.runStatus(), observe(deps)]);
      const decision = decide(memory, obs, run, deps.policy ?? defaultPolicyOptions);
      const firstPage = memory.pagedAt === undefined;
      remember(memory, obs, decision);
      if (firstPage && memory.pagedAt !== undefined) {
        say(`paged: ${obs.alerts.map((a) => `${a.name}${a.labels.service ? `{service=${a.labels.service}}` : ''} (${a.severity})`).join(', ')}`);
        if ('diagnosis' in decision && decision.diagnosis) record.symptoms = decision.diagnosis.symptoms;
      }
      if (decision.do === 'finish') {
        say(decision.why);
        ended = run.state;
        break;
      }
      await incident
        .round({
          paged: memory.pagedAt !== undefined,
          obs,
          diagnosis: decision.diagnosis ?? { symptoms: [], candidates: [], worsening: false },
          holding: run.holdingForMs > 0,
          pulls: memory.pulls,
          progress: record.progress,
        })
        .catch((err: Error) => say(`the incident could not be kept this round: ${err.message}`));
      if (decision.do === 'pull') {
        say(`pulling "${decision.candidate.lever}" (${decision.candidate.effect}, runbook ${decision.candidate.runbook}): ${decision.why}`);
        for (const evidence of decision.candidate.evidence) say(`  evidence: ${evidence}`);
        if (decision.candidate.effect !== 'restores') record.evidence = decision.candidate.evidence;
        record.running = runInBackground(decision.candidate, memory, record, deps, say);
      } else if (decision.why !== lastWhy) {
        say(decision.why);
      }
      lastWhy = decision.why;
    } catch (err) {
      if (deps.signal.aborted) break;
      say(`cannot see the lab this round: ${(err as Error).message}`);
    }
    await sleep(roundMs, undefined, { signal: deps.signal }).catch(() => {});
  }
  if (ended === undefined) {
    say('stopped before the run ended');
    return { pulls: memory.pulls, ended: 'aborted' };
  }

  // The run ended by its verdict; the incident and its review are still the team's to close.
  await record.running;
  const today = new Date().toISOString().slice(0, 10);
  const closed = await incident.close({ pulls: memory.pulls, runState: ended, progress: record.progress, reviewBy: today }).catch((err: Error) => {
    say(`the incident could not be closed: ${err.message}`);
    return { declared: false };
  });
  if (!closed.declared) return { pulls: memory.pulls, ended };
  const pir = await writePir(
    { clients: deps.clients, say },
    {
      author: actorName,
      symptoms: record.symptoms,
      evidence: record.evidence,
      actions: memory.pulls.map((p) => ({ lever: p.lever, runbook: record.runbooks.get(p.lever), restores: p.restores })),
      category: causeCategoryFrom(memory.pulls),
      today,
    },
  ).catch((err: Error) => {
    say(`the review could not be written: ${err.message}`);
    return undefined;
  });
  return { pulls: memory.pulls, ended, pirScore: pir?.score };
}

/**
 * Runs the candidate's runbook while the loop goes on looking and updating: its verify step may
 * take a minute or two, and status updates must not wait for it. A runbook that stopped before any
 * lever acted (its prerequisite did not hold) forgets the pull, so the lever may be tried again.
 */
function runInBackground(
  candidate: Candidate,
  memory: ResponderMemory,
  record: { runbooks: Map<string, string>; progress?: string },
  deps: Pick<ResponderDeps, 'runRunbook'>,
  say: (line: string) => void,
): Promise<void> {
  const choice = runbookFor(candidate);
  const pull = memory.pulls.findLast((p) => p.lever === candidate.lever);
  // Once per lever: a prerequisite that never holds must not rerun the runbook every round.
  const forget = () => {
    if (memory.retried?.has(candidate.lever)) return;
    memory.retried ??= new Set();
    memory.retried.add(candidate.lever);
    memory.pulls = memory.pulls.filter((p) => p !== pull && !(candidate.andThen && p.lever === candidate.andThen && p.at === pull?.at));
  };
  if (!choice) {
    say(`  no runbook pulls "${candidate.lever}": not pulled`);
    return Promise.resolve();
  }
  const params = Object.entries(choice.params).map(([name, value]) => ` --param ${name}=${value}`);
  say(`  running runbook ${choice.runbook}${params.join('')}`);
  record.runbooks.set(candidate.lever, choice.runbook);
  if (candidate.andThen) record.runbooks.set(candidate.andThen, choice.runbook);
  memory.runbookInFlight = choice.runbook;
  return deps
    .runRunbook(choice)
    .then((outcome) => {
      for (const step of outcome.steps) say(`  ${choice.runbook}: ${step.name} ${step.status}${step.output ? `: ${step.output.split('\n').at(-1)}` : ''}`);
      for (const problem of outcome.problems) say(`  ${choice.runbook}: ${problem}`);
      record.progress = outcome.ok
        ? `We ran the ${choice.runbook} runbook (${candidate.lever}) and its check passed`
        : `We ran the ${choice.runbook} runbook (${candidate.lever}); it stopped at "${outcome.failedStep}"`;
      // A refused lever (nothing to roll back, the job already gone) stays pulled: the next
      // candidate is tried after the grace period rather than the same one again.
      if (!outcome.acted) forget();
    })
    .catch((err: Error) => {
      say(`  runbook ${choice.runbook} could not run: ${err.message}`);
      forget();
    })
    .finally(() => {
      memory.runbookInFlight = undefined;
    });
}

async function observe(deps: ResponderDeps): Promise<Observations> {
  const at = Date.now();
  const [alerts, releases, flags, metrics, poisonJob] = await Promise.all([
    deps.clients.firingAlerts(deps.since),
    deps.clients.releases(),
    deps.clients.flags(),
    deps.metrics.observe(),
    deps.poisonJob?.(deps.since),
  ]);
  return { at, alerts, releases, flags, metrics, poisonJob };
}
