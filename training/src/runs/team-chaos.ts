import { teamFaultRefusal } from '@firedrill/chaos';
import type { TimelinePlan } from '../scenario/timeline.ts';
import type { ChaosClient } from './chaos-client.ts';

/**
 * The chaos controller as one team's run sees it in a class (docs/decisions/0015): the faults it
 * injects carry its team (the team's agents and proxies carry them out), it sees only its team's
 * faults, and the alerts of its team (an alert's `team` label, kept by every rule) or of no team,
 * and its cleanup halts (and
 * clears a release's faults) only for its team, never in another team's run. For the single lab's shop (team null), the controller as is.
 */
export function chaosForTeam(chaos: ChaosClient, team: string | null): ChaosClient {
  if (team === null) return chaos;
  const ours = async () => (await chaos.activeFaults()).filter((fault) => fault.team === team);
  return {
    ...chaos,
    activeFaults: ours,
    inject: (fault, forSeconds, actor) => chaos.inject({ ...fault, team }, forSeconds, actor),
    // An alert naming a team is that team's; one naming none is about what every team shares
    // (the one Postgres, Redis, the lab's own planes), so every team's run sees it.
    alerts: async () => (await chaos.alerts()).filter((alert) => alert.labels.team === undefined || alert.labels.team === team),
    async clearRelease(service, actor) {
      const cleared: string[] = [];
      for (const fault of await ours()) if (fault.release?.service === service && (await chaos.clear(fault.id, actor))) cleared.push(fault.id);
      return cleared;
    },
    async halt(actor) {
      let cleared = 0;
      for (const fault of await ours()) if (await chaos.clear(fault.id, actor)) cleared++;
      return { cleared };
    },
  };
}

/**
 * Why a team's run of this plan cannot start in a class, or undefined when it can: a fault of its
 * timeline that cannot be one team's (chaos's teamFaultRefusal: redis-memory-pressure fills the one
 * Redis every team shares). Refused at the start, where the controller would refuse it mid-run.
 * A single lab's run (team null) is never refused here.
 */
export function teamRunRefusal(plan: Pick<TimelinePlan, 'scenarioId' | 'steps'>, team: string | null): string | undefined {
  if (team === null) return undefined;
  for (const step of plan.steps) {
    for (const action of step.actions) {
      if (action.kind !== 'inject') continue;
      const refusal = teamFaultRefusal({ family: action.fault.family, team });
      if (refusal)
        return `Scenario ${plan.scenarioId} cannot run for team ${team} in this class: its step ${step.step + 1} injects ${action.fault.family}, and ${refusal}. Run it in a lab of its own (\`lab up\` without --teams), or pick another scenario.`;
    }
  }
  return undefined;
}
