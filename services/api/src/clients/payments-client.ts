import { retry, type Logger } from '@firedrill/kit';
import type { ApiMetrics } from '../metrics.ts';
import { httpExchange, type HttpAnswer } from './http-exchange.ts';

export interface ChargeRequest {
  orderId: string;
  amountCents: number;
  currency: string;
  customer: { email: string };
}

export type ChargeResult = { status: 'approved'; chargeId: string } | { status: 'declined'; chargeId: string; reason: string };

/** A charge as payments stored it, in whatever state it is now. */
export interface ChargeRecord {
  id: string;
  status: 'processing' | 'approved' | 'declined' | 'failed';
  reason: string | null;
}

/** Payments could not give an answer (down, slow, failing): the charge may be retried later. */
export class PaymentsUnavailableError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'PaymentsUnavailableError';
  }
}

/** An answer that the contract does not allow (a 400 or 422): a bug on one side, never retried. */
export class PaymentsContractError extends Error {
  readonly status: number;
  constructor(status: number, body: unknown) {
    super(`payments answered ${status}: ${JSON.stringify(body)}`);
    this.name = 'PaymentsContractError';
    this.status = status;
  }
}

/** One failed attempt; `retryable` says whether another try could get a different answer. */
export class PaymentsAttemptError extends Error {
  readonly retryable: boolean;
  readonly outcome: string;
  constructor(outcome: string, retryable: boolean, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'PaymentsAttemptError';
    this.outcome = outcome;
    this.retryable = retryable;
  }
}

/**
 * Which payments answers are worth another try. Timeouts, network errors and 5xx may pass;
 * 409 means the same charge is still being processed, so asking again shortly gets its result.
 * Every other status is final.
 */
export function isRetryableStatus(status: number): boolean {
  return status >= 500 || status === 409;
}

export function classifyFailure(err: unknown): PaymentsAttemptError {
  if (err instanceof PaymentsAttemptError) return err;
  const name = (err as { name?: string } | undefined)?.name;
  if (name === 'TimeoutError' || name === 'AbortError') {
    return new PaymentsAttemptError('timeout', true, 'payments did not answer in time', { cause: err });
  }
  // Refused or reset connections and DNS failures: the socket's error (ECONNREFUSED …).
  return new PaymentsAttemptError('network_error', true, `could not reach payments: ${(err as Error)?.message}`, { cause: err });
}

/** The longest wait between two attempts of one charge. */
export const maxChargeBackoffMs = 2_000;

/** How one charge call is made: the timeout of each attempt and how many attempts. */
export interface PaymentCallSettings {
  timeoutMs: number;
  attempts: number;
}

export interface PaymentsClientOptions {
  baseUrl: string;
  /** Per-attempt timeout (also of lookups and liveness checks). */
  timeoutMs: number;
  attempts: number;
  /**
   * The settings of each charge call, asked once per call (the api's flags may override the
   * configured timeout and attempts); without it, timeoutMs and attempts above.
   */
  callSettings?: () => Promise<PaymentCallSettings>;
  backoffMs: number;
  logger: Logger;
  metrics: ApiMetrics;
  /**
   * Another retry policy for a charge, when something imposes one (the chaos agent's
   * retry-amplification fault); the options' own apply when it returns undefined.
   */
  retryPolicy?: () => { attempts: number; backoffMs: number } | undefined;
}

export interface PaymentsClient {
  /**
   * Charges once per idempotency key, however many times it is called: the key travels end to
   * end, so a retried attempt whose first try did reach the gateway is answered from the record.
   */
  charge(request: ChargeRequest, idempotencyKey: string): Promise<ChargeResult>;
  /**
   * The charge made under an idempotency key, or undefined when payments never received a request
   * with it. One attempt: the caller (the reconciler) asks again on its next pass.
   * Throws PaymentsUnavailableError when payments cannot answer.
   */
  findCharge(idempotencyKey: string): Promise<ChargeRecord | undefined>;
  checkLive(timeoutMs: number): Promise<void>;
}

export function createPaymentsClient(options: PaymentsClientOptions): PaymentsClient {
  const { baseUrl, logger, metrics } = options;

  async function attemptCharge(request: ChargeRequest, idempotencyKey: string, timeoutMs: number): Promise<ChargeResult> {
    const end = metrics.paymentDuration.startTimer();
    let outcome = 'network_error';
    try {
      // Reading the body stays under the same timeout; only parsing it is forgiven.
      const response = await httpExchange(`${baseUrl}/payments/charges`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'idempotency-key': idempotencyKey },
        body: JSON.stringify(request),
        timeoutMs,
      });
      const body = parseJson(response.text) as { id?: string; reason?: string | null; code?: string } | undefined;
      outcome = response.status === 201 ? 'approved' : response.status === 402 ? 'declined' : `http_${response.status}`;
      if (response.status === 201 && body?.id) return { status: 'approved', chargeId: body.id };
      if (response.status === 402 && body?.id) return { status: 'declined', chargeId: body.id, reason: body.reason ?? 'declined' };
      if (isRetryableStatus(response.status)) {
        throw new PaymentsAttemptError(outcome, true, `payments answered ${response.status} ${body?.code ?? ''}`.trim());
      }
      throw new PaymentsContractError(response.status, body);
    } catch (err) {
      if (err instanceof PaymentsContractError) throw err;
      const failure = classifyFailure(err);
      outcome = failure.outcome;
      throw failure;
    } finally {
      metrics.paymentAttempts.inc({ outcome });
      end({ outcome });
    }
  }

  return {
    async charge(request, idempotencyKey) {
      // The flags set timeout and attempts; a retry-amplification fault, while active, overrides
      // attempts and backoff (that is the fault: a config change that multiplied retries).
      const call = (await options.callSettings?.()) ?? options;
      const { attempts, backoffMs } = options.retryPolicy?.() ?? { attempts: call.attempts, backoffMs: options.backoffMs };
      let made = 0;
      try {
        return await retry(
          () => {
            made++;
            return attemptCharge(request, idempotencyKey, call.timeoutMs);
          },
          {
            attempts,
            baseDelayMs: backoffMs,
            maxDelayMs: maxChargeBackoffMs,
            retryable: (err) => err instanceof PaymentsAttemptError && err.retryable,
            onRetry: (err, attempt, delayMs) =>
              logger.warn({ orderId: request.orderId, attempt, delayMs, reason: (err as Error).message }, 'charge attempt failed; retrying'),
          },
        );
      } catch (err) {
        if (err instanceof PaymentsAttemptError) {
          throw new PaymentsUnavailableError(`payments unavailable after ${made} attempt(s): ${err.message}`, { cause: err });
        }
        throw err;
      } finally {
        metrics.chargeAttempts.observe(made);
      }
    },

    async findCharge(idempotencyKey) {
      let response: HttpAnswer;
      let body: unknown;
      try {
        response = await httpExchange(`${baseUrl}/payments/charges/by-key/${encodeURIComponent(idempotencyKey)}`, { timeoutMs: options.timeoutMs });
        body = parseJson(response.text);
      } catch (err) {
        throw new PaymentsUnavailableError(`could not look up charge ${idempotencyKey}: ${classifyFailure(err).message}`, { cause: err });
      }
      if (response.status === 404) return undefined;
      if (response.status >= 200 && response.status < 300 && isChargeRecord(body)) return { id: body.id, status: body.status, reason: body.reason ?? null };
      if (isRetryableStatus(response.status)) throw new PaymentsUnavailableError(`payments answered ${response.status} to a charge lookup`);
      throw new PaymentsContractError(response.status, body);
    },

    async checkLive(timeoutMs) {
      const response = await httpExchange(`${baseUrl}/payments/health/live`, { timeoutMs });
      if (response.status < 200 || response.status >= 300) throw new Error(`payments answered ${response.status}`);
    },
  };
}

const chargeStatuses = new Set(['processing', 'approved', 'declined', 'failed']);

function isChargeRecord(body: unknown): body is ChargeRecord {
  const record = body as Partial<ChargeRecord> | undefined;
  return typeof record?.id === 'string' && typeof record.status === 'string' && chargeStatuses.has(record.status);
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
