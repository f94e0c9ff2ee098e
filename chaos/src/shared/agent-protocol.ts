import type { FaultSpec } from '../faults/catalogue.ts';

/**
 * The contract between the controller and the agents in the shop's services, shared by both so
 * that neither imports the other: agents must not pull controller code into every service.
 */

export const agentServices = ['api', 'payments', 'worker'] as const;
export type AgentService = (typeof agentServices)[number];

export function isAgentService(target: string): target is AgentService {
  return (agentServices as readonly string[]).includes(target);
}

/** One fault as an agent receives it: the settings, its id and when it ends. */
export type AgentFault = FaultSpec & { id: string; expiresAt: string };

/**
 * GET /api/agent/faults?service=<service>&agent=<agent id>&applied=<version>&waitMs=<ms>
 * An agent sends its id and the version of the fault set it carries out now; the controller
 * answers the current set of the service's faults with its version. An agent that applied a new
 * version asks again at once, so the controller learns within milliseconds that it did. With
 * waitMs, a poll that has nothing new to learn is held until the set changes or waitMs passes
 * (a long poll): changes arrive at once, and an idle lab is not kept busy by its own agents.
 */
export interface AgentFaultsAnswer {
  faults: AgentFault[];
  /** Version of the controller's fault set; it only grows, also across controller restarts. */
  version: number;
  /** How long to wait before the next poll. */
  pollMs: number;
}
