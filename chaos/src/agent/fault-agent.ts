import type { Logger } from '@firedrill/kit';
import type { AgentFault, AgentService } from '../shared/agent-protocol.ts';

export type { AgentFault, AgentService };

export interface FaultAgentOptions {
  service: AgentService;
  /** Controller base URL; without it the agent is disabled and never injects anything. */
  controllerUrl?: string | undefined;
  token?: string | undefined;
  logger: Logger;
  /** Poll interval; the controller may ask for another in its answer. */
  pollMs?: number;
  /** Faults revert when the controller has not answered for this long (dead man's switch). */
  deadMansSwitchMs?: number;
  now?: () => number;
}

/**
 * The chaos agent inside a service. It asks the controller which faults target this service,
 * keeps them while they last, and reverts them itself when they expire or when the controller
 * goes quiet for `deadMansSwitchMs` — so a fault can never outlive the lab's control of it.
 * Domain code never sees the agent: one middleware, one job wrapper and one gateway hook read it.
 */
export class FaultAgent {
  readonly service: AgentService;
  readonly enabled: boolean;
  #faults: AgentFault[] = [];
  #lastContact: number;
  #timer: NodeJS.Timeout | undefined;
  #pollMs: number;
  #listeners = new Set<(faults: readonly AgentFault[]) => void>();
  #closed = false;
  readonly #options: FaultAgentOptions;
  readonly #now: () => number;

  constructor(options: FaultAgentOptions) {
    this.#options = options;
    this.service = options.service;
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

  close(): void {
    this.#closed = true;
    clearTimeout(this.#timer);
    this.#set([]);
  }

  async #poll(): Promise<void> {
    try {
      const res = await fetch(`${this.#options.controllerUrl}/api/agent/faults?service=${this.service}`, {
        headers: { authorization: `Bearer ${this.#options.token}` },
        signal: AbortSignal.timeout(1_000),
      });
      if (!res.ok) throw new Error(`controller answered ${res.status}`);
      const body = (await res.json()) as { faults: AgentFault[]; pollMs?: number };
      this.#lastContact = this.#now();
      if (body.pollMs) this.#pollMs = body.pollMs;
      this.#set(body.faults);
    } catch (err) {
      const silentFor = this.#now() - this.#lastContact;
      if (this.#faults.length > 0 && silentFor >= (this.#options.deadMansSwitchMs ?? 10_000)) {
        this.#options.logger.warn({ err: (err as Error).message, silentForMs: silentFor }, 'chaos controller unreachable; reverting faults');
        this.#set([]);
      }
    }
    if (!this.#closed) {
      this.#timer = setTimeout(() => void this.#poll(), this.#pollMs);
      this.#timer.unref();
    }
  }

  #set(faults: AgentFault[]): void {
    const before = this.#faults.map((f) => f.id).join(',');
    this.#faults = faults;
    if (faults.map((f) => f.id).join(',') !== before) {
      for (const listener of this.#listeners) listener(faults);
    }
  }
}

/** An agent that never injects: for tests and for services run without a lab. */
export function disabledAgent(service: AgentService, logger: Logger): FaultAgent {
  return new FaultAgent({ service, logger });
}
