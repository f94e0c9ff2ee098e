import { setTimeout as sleep } from 'node:timers/promises';
import type { MetricsObserver } from './metrics-observer.ts';
import type { Observations, RunView } from './observations.ts';
import { decide, defaultPolicyOptions, remember, type PolicyOptions, type Pull, type ResponderMemory } from './responder-policy.ts';
import type { TraineeClients } from './trainee-clients.ts';

export interface ResponderDeps {
  clients: Pick<TraineeClients, 'firingAlerts' | 'releases' | 'flags' | 'pullLever'>;
  /** The run as the operator sees it (GET /api/runs/{id}/status). */
  runStatus: () => Promise<RunView>;
  metrics: Pick<MetricsObserver, 'observe'>;
  /** The job the worker's fatal log lines name again and again, when the bot can read them. */
  poisonJob?: ((since: number) => Promise<Observations['poisonJob']>) | undefined;
  /** Alerts that fired before this are not the run's. */
  since: number;
  signal: AbortSignal;
  log: (line: string) => void;
  /** How often it looks: the lab scrapes and evaluates every 5 s, so faster sees nothing new. */
  roundMs?: number;
  policy?: PolicyOptions;
}

export interface BotOutcome {
  /** Every lever the bot pulled, in order. */
  pulls: Pull[];
  /** How the run ended, or `aborted` when the bot was stopped first. */
  ended: string;
}

/**
 * The bot's loop: look (alerts, metrics, releases, flags, the run), decide (responder-policy.ts),
 * act (one lever through the ops API), every `roundMs`, until the run ends or `signal` aborts. A
 * round that cannot see the lab is logged and the next one tries again: the lab restarting a
 * service must not end the responder.
 */
export async function respond(deps: ResponderDeps): Promise<BotOutcome> {
  const memory: ResponderMemory = { pulls: [] };
  const roundMs = deps.roundMs ?? 5_000;
  let lastWhy = '';
  // Bare lines: whoever shows them says they are the bot's (the CLI's views label them).
  const say = (line: string) => deps.log(line);

  while (!deps.signal.aborted) {
    try {
      const [run, obs] = await Promise.all([deps.runStatus(), observe(deps)]);
      const decision = decide(memory, obs, run, deps.policy ?? defaultPolicyOptions);
      const firstPage = memory.pagedAt === undefined;
      remember(memory, obs, decision);
      if (firstPage && memory.pagedAt !== undefined)
        say(`paged: ${obs.alerts.map((a) => `${a.name}${a.labels.service ? `{service=${a.labels.service}}` : ''} (${a.severity})`).join(', ')}`);
      if (decision.do === 'finish') {
        say(decision.why);
        return { pulls: memory.pulls, ended: run.state };
      }
      if (decision.do === 'pull') {
        say(`pulling "${decision.candidate.lever}" (${decision.candidate.effect}, runbook ${decision.candidate.runbook}): ${decision.why}`);
        for (const evidence of decision.candidate.evidence) say(`  evidence: ${evidence}`);
        // A refused lever (nothing to roll back, the job already gone) stays pulled: the next
        // candidate is tried after the grace period rather than the same one again.
        const outcome = await deps.clients.pullLever(decision.candidate.lever).then(
          (o) => o.summary,
          (err: Error) => `refused: ${err.message}`,
        );
        say(`  ${outcome}`);
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
  say('stopped before the run ended');
  return { pulls: memory.pulls, ended: 'aborted' };
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
