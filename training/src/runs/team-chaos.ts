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
    // An alert naming a team is that team's (its services, its own Redis); one naming none is about
    // what every team shares (the one Postgres, the lab's own planes), so every team's run sees it.
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
