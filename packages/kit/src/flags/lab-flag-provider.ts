import {
  OpenFeatureEventEmitter,
  ProviderEvents,
  StandardResolutionReasons,
  TypeMismatchError,
  type FlagValue,
  type JsonValue,
  type Provider,
  type ResolutionDetails,
} from '@openfeature/server-sdk';
import { z } from 'zod';
import { OutageLog, type Logger } from '../logger/index.ts';

/** What GET {FLAGS_URL}/api/flags answers: the store's version and every flag it sets. */
export const labFlagsAnswerSchema = z.object({
  version: z.number().int(),
  flags: z.record(z.string(), z.union([z.boolean(), z.number(), z.string()])),
});
export type LabFlagsAnswer = z.output<typeof labFlagsAnswerSchema>;

export interface LabFlagProviderOptions {
  /** The lab's base URL; without it nothing is polled and every flag keeps its default. */
  url?: string | undefined;
  /** Bearer token the lab's flags API asks for (the agent token). */
  token?: string | undefined;
  /** In a class (docs/decisions/0015), the team whose shop this is: its flags are the team's own. */
  team?: string | undefined;
  /** How often to ask; a change is visible within one poll plus one answer. */
  pollMs?: number;
  /** How long one request may take before it counts as the lab being unreachable. */
  requestTimeoutMs?: number;
  /**
   * How long the lab may hold a poll when nothing changed (a long poll, default 5 s; 0: plain
   * polling): a change still arrives at once, but an idle shop asks a few times a minute.
   */
  pollWaitMs?: number;
  logger: Logger;
}

type PrimitiveType = 'boolean' | 'number' | 'string';

/**
 * An OpenFeature provider fed by the lab: it polls GET {url}/api/flags and answers every
 * evaluation from the last good answer, in memory, so evaluating a flag on a request's path costs
 * no I/O. When the lab cannot be reached (or answers nonsense) the last good answer stays in force
 * (evaluations say STALE) rather than flags snapping back to defaults in the middle of an
 * incident; with no answer yet, the caller's defaults apply. A flag the lab does not set keeps the
 * caller's default.
 */
export class LabFlagProvider implements Provider {
  readonly metadata = { name: 'firedrill-lab' } as const;
  readonly runsOn = 'server' as const;
  readonly events = new OpenFeatureEventEmitter();

  readonly #options: LabFlagProviderOptions;
  readonly #pollMs: number;
  readonly #outage: OutageLog;
  #answer: LabFlagsAnswer | undefined;
  #stale = false;
  #timer: NodeJS.Timeout | undefined;
  #inFlight: AbortController | undefined;
  #closed = false;

  constructor(options: LabFlagProviderOptions) {
    this.#options = options;
    this.#pollMs = options.pollMs ?? 500;
    this.#outage = new OutageLog(options.logger, 'flags: the lab answers again');
  }

  /** The version of the lab's flags in force here (undefined before the first answer). */
  get version(): number | undefined {
    return this.#answer?.version;
  }

  /** First answer (bounded by the request timeout, never failing), then polling. */
  async initialize(): Promise<void> {
    if (!this.#options.url || this.#closed) return;
    await this.#poll();
    this.#schedule();
  }

  async onClose(): Promise<void> {
    this.#closed = true;
    clearTimeout(this.#timer);
    this.#inFlight?.abort();
  }

  async resolveBooleanEvaluation(flagKey: string, defaultValue: boolean): Promise<ResolutionDetails<boolean>> {
    return this.#resolve(flagKey, defaultValue, 'boolean');
  }

  async resolveNumberEvaluation(flagKey: string, defaultValue: number): Promise<ResolutionDetails<number>> {
    return this.#resolve(flagKey, defaultValue, 'number');
  }

  async resolveStringEvaluation(flagKey: string, defaultValue: string): Promise<ResolutionDetails<string>> {
    return this.#resolve(flagKey, defaultValue, 'string');
  }

  async resolveObjectEvaluation<T extends JsonValue>(flagKey: string, defaultValue: T): Promise<ResolutionDetails<T>> {
    // The protocol carries booleans, numbers and strings only.
    if (this.#answer?.flags[flagKey] === undefined) return { value: defaultValue, reason: StandardResolutionReasons.DEFAULT };
    throw new TypeMismatchError(`flag ${flagKey} is a ${typeof this.#answer.flags[flagKey]}, not an object`);
  }

  #resolve<T extends FlagValue>(flagKey: string, defaultValue: T, type: PrimitiveType): ResolutionDetails<T> {
    const value = this.#answer?.flags[flagKey];
    if (value === undefined) return { value: defaultValue, reason: StandardResolutionReasons.DEFAULT };
    if (typeof value !== type) throw new TypeMismatchError(`flag ${flagKey} is a ${typeof value}, not a ${type}`);
    return {
      value: value as T,
      reason: this.#stale ? StandardResolutionReasons.STALE : StandardResolutionReasons.STATIC,
      flagMetadata: { labVersion: this.#answer!.version },
    };
  }

  #schedule(): void {
    if (this.#closed) return;
    // One request at a time: the next poll is scheduled once this one has ended.
    this.#timer = setTimeout(() => void this.#poll().finally(() => this.#schedule()), this.#pollMs);
    this.#timer.unref();
  }

  async #poll(): Promise<void> {
    const controller = new AbortController();
    this.#inFlight = controller;
    // Once it has an answer, the provider asks for what comes after it, and the lab holds the
    // ask until a change or waitMs (an older lab ignores the parameters and answers at once).
    const waitMs = this.#answer && !this.#stale ? (this.#options.pollWaitMs ?? 5_000) : 0;
    const url = new URL('/api/flags', this.#options.url);
    if (this.#options.team) url.searchParams.set('team', this.#options.team);
    if (waitMs > 0) {
      url.searchParams.set('since', String(this.#answer!.version));
      url.searchParams.set('waitMs', String(waitMs));
    }
    const timeout = setTimeout(() => controller.abort(new Error('timed out')), (this.#options.requestTimeoutMs ?? 1_000) + waitMs);
    try {
      const response = await fetch(url, {
        headers: { accept: 'application/json', ...(this.#options.token && { authorization: `Bearer ${this.#options.token}` }) },
        signal: controller.signal,
      });
      const text = await response.text();
      if (!response.ok) throw new Error(`the lab answered ${response.status}${response.status === 401 ? ' (token refused)' : ''}`);
      const parsed = labFlagsAnswerSchema.safeParse(JSON.parse(text));
      if (!parsed.success) throw new Error(`the lab's answer is not a flags document: ${parsed.error.issues[0]?.message ?? ''}`);
      this.#apply(parsed.data);
    } catch (err) {
      if (this.#closed) return;
      this.#outage.failed(
        { url: this.#options.url, err: (err as Error).message, version: this.#answer?.version ?? null },
        this.#answer ? 'flags: the lab is unreachable; keeping its last answer' : 'flags: the lab is unreachable; flags keep their defaults',
      );
      if (!this.#stale) {
        this.#stale = true;
        this.events.emit(ProviderEvents.Stale, { message: (err as Error).message });
      }
    } finally {
      clearTimeout(timeout);
      if (this.#inFlight === controller) this.#inFlight = undefined;
    }
  }

  #apply(answer: LabFlagsAnswer): void {
    this.#outage.recovered();
    if (this.#stale) {
      this.#stale = false;
      this.events.emit(ProviderEvents.Ready);
    }
    const previous = this.#answer;
    if (previous && previous.version === answer.version) return;
    this.#answer = answer;
    const names = new Set([...Object.keys(previous?.flags ?? {}), ...Object.keys(answer.flags)]);
    const changed = [...names].filter((name) => previous?.flags[name] !== answer.flags[name]);
    if (changed.length === 0) return;
    this.#options.logger.info(
      { flagsVersion: answer.version, changed: Object.fromEntries(changed.map((name) => [name, answer.flags[name] ?? null])) },
      'flags changed',
    );
    this.events.emit(ProviderEvents.ConfigurationChanged, { flagsChanged: changed });
  }
}
