import { executors } from '../faults/catalogue.ts';
import { isAgentService, type AgentService } from '../shared/agent-protocol.ts';
import type { Fault } from './fault-store.ts';

/** What the controller knows of one agent from its polls. */
export interface AgentReport {
  agent: string;
  service: AgentService;
  /** Version of the fault set it last said it carries out (-1 before its first answer). */
  applied: number;
  lastSeen: number;
}

/** Whether one agent carries out a change: the answer to an inject, clear or halt. */
export interface AgentApplyStatus {
  agent: string;
  service: AgentService;
  applied: boolean;
}

/** The services whose agents carry out these faults (network faults are Toxiproxy's: none). */
export function agentServicesOf(faults: readonly Pick<Fault, 'spec'>[]): AgentService[] {
  const services = new Set<AgentService>();
  for (const { spec } of faults) {
    if (executors[spec.family] === 'agent' && isAgentService(spec.target)) services.add(spec.target);
  }
  return [...services];
}

/**
 * The agents that poll this controller and the fault-set version each has applied, so that a
 * change can be answered once the services carry it out: the next request an instructor sends
 * then shows the fault. An agent is live while it polls (or its poll is held); one silent for
 * `liveWindowMs` (its service stopped or hung) is not waited for.
 */
export class AgentTracker {
  readonly #agents = new Map<string, AgentReport>();
  readonly #waiters = new Set<() => void>();
  /** Agents whose poll the controller is holding (a long poll), by how many: live meanwhile. */
  readonly #holding = new Map<string, number>();
  readonly #liveWindowMs: number;
  readonly #now: () => number;

  constructor(options: { liveWindowMs: number; now?: () => number }) {
    this.#liveWindowMs = options.liveWindowMs;
    this.#now = options.now ?? Date.now;
  }

  report(agent: string, service: AgentService, applied: number | undefined): void {
    const now = this.#now();
    this.#agents.set(agent, { agent, service, applied: applied ?? -1, lastSeen: now });
    // Forget agents long gone (restarted services get new ids), so the map stays small.
    for (const [id, report] of this.#agents) if (now - report.lastSeen > 10 * this.#liveWindowMs && !this.#holding.has(id)) this.#agents.delete(id);
    for (const wake of this.#waiters) wake();
  }

  /**
   * The controller holds this agent's poll: it is live until the returned release, which counts
   * as contact (the answer is on its way, or the connection just closed).
   */
  hold(agent: string): () => void {
    this.#holding.set(agent, (this.#holding.get(agent) ?? 0) + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const left = (this.#holding.get(agent) ?? 1) - 1;
      if (left > 0) this.#holding.set(agent, left);
      else this.#holding.delete(agent);
      const report = this.#agents.get(agent);
      if (report) report.lastSeen = this.#now();
    };
  }

  #isLive(report: AgentReport, now: number): boolean {
    return this.#holding.has(report.agent) || now - report.lastSeen <= this.#liveWindowMs;
  }

  /** Every agent heard from lately, with whether it is live and carries out `version`. */
  list(version: number): (AgentApplyStatus & { lastSeenAt: string; live: boolean })[] {
    const now = this.#now();
    return [...this.#agents.values()]
      .map((a) => ({
        agent: a.agent,
        service: a.service,
        applied: a.applied >= version,
        lastSeenAt: new Date(a.lastSeen).toISOString(),
        live: this.#isLive(a, now),
      }))
      .sort((a, b) => a.agent.localeCompare(b.agent));
  }

  /** Live agents of these services. */
  live(services: readonly AgentService[]): AgentReport[] {
    const now = this.#now();
    return [...this.#agents.values()].filter((a) => services.includes(a.service) && this.#isLive(a, now));
  }

  /**
   * Resolves once every agent of `services` that was live when called has applied `version` or
   * a later one, or after `timeoutMs` at the latest; says which did. Agents that start polling
   * meanwhile are listed too. An agent that falls silent while a newer agent of its service polls
   * (the service crashed and came back under a new id) is dropped rather than waited for: it will
   * never apply anything, and reporting it as "not applied" would call a healthy change failed. A
   * silent agent with no replacement (a hung service) is still named as not applied.
   */
  async waitApplied(services: readonly AgentService[], version: number, timeoutMs: number): Promise<AgentApplyStatus[]> {
    if (services.length === 0) return [];
    const expected = new Set(this.live(services).map((a) => a.agent));
    const initial = new Set(expected);
    const dropReplaced = () => {
      const now = this.#now();
      const replacements = this.live(services).filter((a) => !initial.has(a.agent));
      for (const id of expected) {
        const report = this.#agents.get(id);
        const silent = !report || !this.#isLive(report, now);
        if (silent && replacements.some((a) => a.service === report?.service)) expected.delete(id);
      }
    };
    const done = () => {
      dropReplaced();
      return [...expected].every((id) => (this.#agents.get(id)?.applied ?? -1) >= version);
    };
    if (!done()) {
      await new Promise<void>((resolve) => {
        const finish = () => {
          clearTimeout(timer);
          clearInterval(recheck);
          this.#waiters.delete(wake);
          resolve();
        };
        const wake = () => {
          if (done()) finish();
        };
        const timer = setTimeout(finish, timeoutMs);
        // A silent agent sends no report to wake the wait: look again once per live window.
        const recheck = setInterval(wake, this.#liveWindowMs);
        this.#waiters.add(wake);
      });
    }
    const reported = [...this.#agents.values()].filter((a) => expected.has(a.agent) || (services.includes(a.service) && a.applied >= version));
    return reported.map((a) => ({ agent: a.agent, service: a.service, applied: a.applied >= version })).sort((a, b) => a.agent.localeCompare(b.agent));
  }
}
