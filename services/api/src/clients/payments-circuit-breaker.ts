import type { Logger } from '@firedrill/kit';
import type { ApiMetrics } from '../metrics.ts';
import { PaymentsUnavailableError, type PaymentsClient } from './payments-client.ts';

export type CircuitState = 'closed' | 'open' | 'half_open';
export const circuitStates: readonly CircuitState[] = ['closed', 'open', 'half_open'];

/** The circuit is open: the charge was not attempted. The order stays pending like any unanswered charge. */
export class PaymentsCircuitOpenError extends PaymentsUnavailableError {
  constructor(retryInMs: number) {
    super(`payments circuit open after repeated failures; not attempted (next probe in ${Math.max(0, Math.ceil(retryInMs))} ms)`);
    this.name = 'PaymentsCircuitOpenError';
  }
}

export interface CircuitBreakerOptions {
  /** Calls failing in a row that open the circuit. */
  failureThreshold: number;
  /** How long the circuit stays open before one probe call is let through. */
  openMs: number;
  now?: () => number;
  onStateChange?: (state: CircuitState, previous: CircuitState) => void;
}

/**
 * closed → (failureThreshold failures in a row) → open: calls fail at once, sparing payments and
 * the checkout's callers the whole retry budget → (after openMs) half-open: one probe call goes
 * through while the others still fail fast → closed if it succeeds, open again if it fails.
 */
export class CircuitBreaker {
  readonly #options: CircuitBreakerOptions;
  readonly #now: () => number;
  #state: CircuitState = 'closed';
  #failures = 0;
  #openedAt = 0;
  #probing = false;

  constructor(options: CircuitBreakerOptions) {
    this.#options = options;
    this.#now = options.now ?? Date.now;
  }

  get state(): CircuitState {
    return this.#state;
  }

  /** Milliseconds until an open circuit lets a probe through. */
  get retryInMs(): number {
    return this.#state === 'open' ? this.#openedAt + this.#options.openMs - this.#now() : 0;
  }

  /** Whether a call may go out now; a true answer in half-open makes the caller the probe. */
  tryAcquire(): boolean {
    if (this.#state === 'open' && this.retryInMs <= 0) this.#moveTo('half_open');
    if (this.#state === 'closed') return true;
    if (this.#state === 'half_open' && !this.#probing) {
      this.#probing = true;
      return true;
    }
    return false;
  }

  recordSuccess(): void {
    this.#failures = 0;
    this.#probing = false;
    if (this.#state !== 'closed') this.#moveTo('closed');
  }

  recordFailure(): void {
    this.#failures += 1;
    this.#probing = false;
    if (this.#state === 'half_open' || (this.#state === 'closed' && this.#failures >= this.#options.failureThreshold)) {
      this.#openedAt = this.#now();
      this.#moveTo('open');
    }
  }

  /** Back to closed with no failures counted (the breaker was switched off). */
  reset(): void {
    this.#failures = 0;
    this.#probing = false;
    if (this.#state !== 'closed') this.#moveTo('closed');
  }

  #moveTo(state: CircuitState): void {
    const previous = this.#state;
    this.#state = state;
    this.#options.onStateChange?.(state, previous);
  }
}

/**
 * The payments client with a circuit breaker around its charges, while `enabled()` says so (the
 * api.payments-circuit-breaker flag). Only an unanswered charge (payments unavailable) counts as
 * a failure: a decline is payments working. Lookups (the reconciler's) are never short-circuited.
 */
export function withCircuitBreaker(
  client: PaymentsClient,
  options: { enabled: () => Promise<boolean>; failureThreshold: number; openMs: number; metrics: ApiMetrics; logger: Logger; now?: () => number },
): PaymentsClient & { readonly breaker: CircuitBreaker } {
  const { metrics, logger } = options;
  const showState = (state: CircuitState) => {
    for (const s of circuitStates) metrics.paymentsCircuitState.set({ state: s }, s === state ? 1 : 0);
  };
  const breaker = new CircuitBreaker({
    failureThreshold: options.failureThreshold,
    openMs: options.openMs,
    ...(options.now && { now: options.now }),
    onStateChange: (state, previous) => {
      showState(state);
      const fields = { circuit: 'payments', from: previous, to: state };
      if (state === 'open') logger.warn({ ...fields, openMs: options.openMs }, 'payments circuit opened: charges fail fast');
      else logger.info(fields, state === 'half_open' ? 'payments circuit half-open: probing' : 'payments circuit closed');
    },
  });
  showState('closed');

  return {
    ...client,
    breaker,
    async charge(request, idempotencyKey) {
      if (!(await options.enabled())) {
        breaker.reset();
        return client.charge(request, idempotencyKey);
      }
      if (!breaker.tryAcquire()) {
        metrics.paymentsCircuitRejections.inc();
        throw new PaymentsCircuitOpenError(breaker.retryInMs);
      }
      try {
        const result = await client.charge(request, idempotencyKey);
        breaker.recordSuccess();
        return result;
      } catch (err) {
        // Payments answered (a contract error) or did not (unavailable): only the latter is an outage.
        if (err instanceof PaymentsUnavailableError) breaker.recordFailure();
        else breaker.recordSuccess();
        throw err;
      }
    },
  };
}
