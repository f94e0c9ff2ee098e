import { z } from 'zod';
import type { Logger } from '@firedrill/kit';
import { readToken } from '../shared/token-file.ts';
import { FaultAgent, type AgentService } from './fault-agent.ts';
import { teamNamePattern, teamNameRule } from '@firedrill/conventions';

/**
 * The variables every shop service reads for its chaos agent. Without CHAOS_URL the agent is off
 * (a service run outside the lab injects nothing).
 */
export const agentConfigShape = {
  /** The chaos controller; unset turns the agent off. */
  CHAOS_URL: z.url().optional(),
  /** File holding the agent token (mode 0600, written by `lab up`). */
  CHAOS_AGENT_TOKEN_FILE: z.string().min(1).optional(),
  /** The team whose shop this service belongs to, in a class (`lab up --teams`): only its faults apply. */
  CHAOS_TEAM: z.string().regex(teamNamePattern, `must be ${teamNameRule}`).optional(),
};

export interface AgentConfig {
  CHAOS_URL?: string | undefined;
  CHAOS_AGENT_TOKEN_FILE?: string | undefined;
  CHAOS_TEAM?: string | undefined;
}

/** Creates and starts a service's agent from its config. */
export function startFaultAgent(service: AgentService, config: AgentConfig, logger: Logger): FaultAgent {
  if (config.CHAOS_URL && !config.CHAOS_AGENT_TOKEN_FILE) {
    throw new Error(`${service}: CHAOS_URL is set but CHAOS_AGENT_TOKEN_FILE is not`);
  }
  const token = config.CHAOS_URL && config.CHAOS_AGENT_TOKEN_FILE ? readToken(config.CHAOS_AGENT_TOKEN_FILE) : undefined;
  return new FaultAgent({ service, team: config.CHAOS_TEAM, controllerUrl: config.CHAOS_URL, token, logger }).start();
}
