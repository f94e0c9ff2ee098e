import os from 'node:os';
import type { Logger } from '@firedrill/kit';
import type { AgentFault, AgentFaultsAnswer, AgentService } from '../shared/agent-protocol.ts';
import { HeapLeak } from './heap-leak.ts';

export type { AgentFault, AgentService };

export interface FaultAgentOptions {
  service: AgentService;
  /** The team whose shop this service belongs to, in a class: the agent asks for that team's faults only. */
  team?: string | undefined;
  /** Controller base URL; without it the agent is disabled and never injects anything. */
  controllerUrl?: string | undefined;
  token?: string | undefined;
  logger: Logger;
  /** Poll interval; the controller may ask for another in its answer. */
  pollMs?: number;
  /**
   * How long the controller may hold a poll when nothing changed (a long poll, default 5 s):
   * a change still arrives at once, but an idle agent asks a few times a minute instead of
   * four times a second. 0: plain polling.
   */
  pollWaitMs?: number;
  /** Faults revert when the controller has not answered for this long (dead man's switch). */
  deadMansSwitchMs?: number;
  now?: () => number;
}

/** Agents of one service made by this process so far: their ids must differ (tests run several). */
const agentsMade = new Map<AgentService, number>();

/** `api@host:pid`, with `#2`, `#3` … for further agents of the same service in one process. */
function agentId(service: AgentService): string {
  const n = (agentsMade.get(service) ?? 0) + 1;
  agentsMade.set(service, n);
  return `${service}@${os.hostname()}:${process.pid}${n > 1 ? `#${n}` : ''}`;
}

/**
 * The chaos agent inside a service. It asks the controller which faults target this service,
 * keeps them while they last, and reverts them itself when they expire or when the controller
 * goes quiet for `deadMansSwitchMs` — so a fault can never outlive the lab's control of it.
 * Domain code never sees the agent: one middleware, one job wrapper and one gateway hook read it.
 */
export class FaultAgent {
  readonly service: AgentService;
  /** How the controller tells this agent apart from the other agents of its service. */
  readonly id: string;
  readonly enabled: boolean;
  #faults: AgentFault[] = [];
  /** Version of the controller's fault set carried out now; reported on every poll. */
  #applied: number | undefined;
  /** The poll in flight, aborted by close(). */
  #inFlight: AbortController | undefined;
  #failedPolls = 0;
  #answeredPolls = 0;
  #lastContact: number;
  #timer: NodeJS.Timeout | undefined;
  /** Fires when the next fault expires, so that listeners revert it even before the controller says so. */
  #expiryTimer: NodeJS.Timeout | undefined;
  #pollMs: number;
  #listeners = new Set<(faults: readonly AgentFault[]) => void>();
  #closed = false;
  readonly #options: FaultAgentOptions;
  readonly #now: () => number;
  /**
   * Memory a memory-leak fault retains. A process-level fault with no hook in the service: the
   * agent carries it out itself (the controller sends it to the api's agent only).
   */
  readonly heapLeak = new HeapLeak();

  constructor(options: FaultAgentOptions) {
    this.#options = options;
    this.service = options.service;
    this.id = agentId(options.service);
    this.enabled = Boolean(options.controllerUrl && options.token);
    this.#now = options.now ?? Date.now;
    this.#lastContact = this.#now();
    this.#pollMs = options.pollMs ?? 250;
  }

  start(): this {
    if (this.enabled) void this.#poll();
    return this;
  }

  /** True when no fault targets this service: the hot path's one check. */
  get idle(): boolean {
    return this.#faults.length === 0;
  }

  /** Active faults of one family, already past their expiry dropped. */
  active<F extends AgentFault['family']>(family: F): Extract<AgentFault, { family: F }>[] {
    if (this.#faults.length === 0) return [];
    const now = this.#now();
    return this.#faults.filter((f): f is Extract<AgentFault, { family: F }> => f.family === family && Date.parse(f.expiresAt) > now);
  }

  /** When the controller last answered, how many polls it answered, and how many failed since. */
  get contact(): { lastContactAt: number; answeredPolls: number; failedPolls: number } {
    return { lastContactAt: this.#lastContact, answeredPolls: this.#answeredPolls, failedPolls: this.#failedPolls };
  }

  onChange(listener: (faults: readonly AgentFault[]) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Tells the controller a one-shot fault (worker exit) was carried out. */
  async reportExecuted(id: string): Promise<void> {
    if (!this.enabled) return;
    await fetch(`${this.#options.controllerUrl}/api/agent/faults/${encodeURIComponent(id)}/executed`, {
      method: 'POST',
      headers: { authorization: `Bearer ${this.#options.token}` },
      signal: AbortSignal.timeout(1_000),
    });
  }

  /**
   * Reverts every fault and stops polling for good. A poll in flight is aborted, and an answer
   * that still arrives is ignored: nothing may bring faults back into a closed agent.
   */
  close(): void {
    this.#closed = true;
    clearTimeout(this.#timer);
    this.#inFlight?.abort();
    this.#set([]);
    this.heapLeak.release();
  }

  async #poll(): Promise<void> {
    if (this.#closed) return;
    const request = new AbortController();
    this.#inFlight = request;
    let nextPollMs = this.#pollMs;
    try {
      const url = new URL(`${this.#options.controllerUrl}/api/agent/faults`);
      url.searchParams.set('service', this.service);
      if (this.#options.team) url.searchParams.set('team', this.#options.team);
      url.searchParams.set('agent', this.id);
      const waitMs = this.#applied === undefined ? 0 : (this.#options.pollWaitMs ?? 5_000);
      if (this.#applied !== undefined) url.searchParams.set('applied', String(this.#applied));
      if (waitMs > 0) url.searchParams.set('waitMs', String(waitMs));
      const res = await fetch(url, {
        headers: { authorization: `Bearer ${this.#options.token}` },
        signal: AbortSignal.any([request.signal, AbortSignal.timeout(1_000 + waitMs)]),
      });
      if (!res.ok) throw new Error(`controller answered ${res.status}`);
      const body = (await res.json()) as AgentFaultsAnswer;
      if (this.#closed) return;
      this.#lastContact = this.#now();
      this.#answeredPolls++;
      this.#failedPolls = 0;
      if (body.pollMs) this.#pollMs = body.pollMs;
      this.#set(body.faults);
      if (body.version !== this.#applied) {
        this.#applied = body.version;
        // Tell the controller at once that this version is carried out: an instructor's inject
        // is waiting for it, and answers as soon as every agent of the target has said so.
        nextPollMs = 0;
      } else {
        nextPollMs = this.#pollMs;
      }
    } catch (err) {
      if (this.#closed) return;
      this.#failedPolls++;
      const silentFor = this.#now() - this.#lastContact;
      if (this.#faults.length > 0 && silentFor >= (this.#options.deadMansSwitchMs ?? 10_000)) {
        this.#options.logger.warn({ err: (err as Error).message, silentForMs: silentFor }, 'chaos controller unreachable; reverting faults');
        this.#set([]);
        this.#applied = undefined;
      }
    } finally {
      if (this.#inFlight === request) this.#inFlight = undefined;
    }
    if (!this.#closed) {
      this.#timer = setTimeout(() => void this.#poll(), nextPollMs);
      this.#timer.unref();
    }
  }

  #set(faults: AgentFault[]): void {
    const before = this.#faults.map((f) => f.id).join(',');
    const now = this.#now();
    this.#faults = faults.filter((f) => Date.parse(f.expiresAt) > now);
    clearTimeout(this.#expiryTimer);
    if (this.#faults.length > 0) {
      const next = Math.min(...this.#faults.map((f) => Date.parse(f.expiresAt)));
      this.#expiryTimer = setTimeout(() => this.#set(this.#faults), Math.max(0, next - now) + 1);
      this.#expiryTimer.unref();
    }
    if (this.#faults.map((f) => f.id).join(',') !== before) {
      this.heapLeak.update(this.active('memory-leak'));
      for (const listener of this.#listeners) listener(this.#faults);
    }
  }
}

/** An agent that never injects: for tests and for services run without a lab. */
export function disabledAgent(service: AgentService, logger: Logger): FaultAgent {
  return new FaultAgent({ service, logger });
}
