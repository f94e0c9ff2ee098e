import { randomUUID } from 'node:crypto';
import { IdempotencyKeyReusedError, RequestInProgressError, requestFingerprint, retry, type Logger, type Pool } from '@firedrill/kit';
import { completeCharge, findChargeByIdempotencyKey, insertProcessingCharge, retakeCharge, type Charge } from '../data-access/charge-repository.ts';
import type { PaymentMetrics, FailureReason } from '../metrics.ts';
import { ChargeNotSettledError } from './charge-errors.ts';
import { emailDomain, GatewayError, type GatewayFailureKind } from './card-gateway.ts';
import type { FraudScreen } from './fraud-screen.ts';
import type { ChargeOutcomeStatus } from './gateway-window.ts';
import type { RoutedGateway } from './payment-gateways.ts';

/**
 * Charge a card, at most once per Idempotency-Key:
 *   1. claim the key (a `processing` row) — or find who claimed it first;
 *   2. ask the card network;
 *   3. store its verdict, which is also the answer every retry of this key gets from now on.
 * A charge the network failed to settle is stored `failed`; a retry with the same key tries again.
 */
export async function chargePayment(deps: ChargePaymentDeps, command: ChargeCommand): Promise<ChargeResult> {
  const claim = await claimIdempotencyKey(deps, command);
  if (claim.replay) return { charge: claim.charge, replayed: true };

  const fraudScore = deps.fraudScreen ? await deps.fraudScreen.score(claim.charge) : undefined;
  const verdict = await askCardNetwork(deps, claim.charge);
  const charge = await completeCharge(deps.pool, claim.charge.id, verdict);
  logOutcome(deps.logger, charge, { gateway: deps.gateway.name, ...(fraudScore !== undefined && { fraudScore }) });

  if (charge.status === 'failed') {
    throw new ChargeNotSettledError(charge.id, charge.reason);
  }
  return { charge, replayed: false };
}

export interface ChargeRequest {
  orderId: string;
  amountCents: number;
  currency: string;
  customer: { email: string };
}

export interface ChargeCommand {
  idempotencyKey: string;
  request: ChargeRequest;
}

export interface ChargeResult {
  charge: Charge;
  /** True when this is the stored answer to an earlier request with the same key. */
  replayed: boolean;
}

export interface ChargePaymentDeps {
  pool: Pool;
  /** The card gateway this charge goes to, with its health window. */
  gateway: RoutedGateway;
  /** Present when charges are scored for fraud before the gateway (a synchronous step that costs its time). */
  fraudScreen?: FraudScreen | undefined;
  metrics: PaymentMetrics;
  logger: Logger;
  /** A charge `processing` for longer than this was abandoned by a process that died mid-call. */
  abandonedAfterMs?: number;
}

const defaultAbandonedAfterMs = 60_000;

/** The charge this request now owns (new, or taken back for another attempt), or a stored answer. */
async function claimIdempotencyKey(deps: ChargePaymentDeps, { idempotencyKey, request }: ChargeCommand): Promise<{ replay: boolean; charge: Charge }> {
  const hash = requestFingerprint(request);
  const created = await insertProcessingCharge(deps.pool, {
    id: randomUUID(),
    idempotencyKey,
    requestHash: hash,
    orderId: request.orderId,
    amountCents: request.amountCents,
    currency: request.currency,
    customerEmail: request.customer.email,
  });
  if (created) return { replay: false, charge: created };

  const existing = await findChargeByIdempotencyKey(deps.pool, idempotencyKey);
  if (!existing) throw new Error(`idempotency key conflict without a charge row (key ${idempotencyKey})`);
  if (existing.requestHash !== hash) {
    throw new IdempotencyKeyReusedError(`Idempotency-Key ${idempotencyKey} was first used for a different charge request`);
  }
  if (existing.status === 'approved' || existing.status === 'declined') return { replay: true, charge: existing };

  const retaken = await retakeCharge(deps.pool, existing.id, deps.abandonedAfterMs ?? defaultAbandonedAfterMs);
  if (retaken) return { replay: false, charge: retaken };
  throw new RequestInProgressError(`Charge ${existing.id} for this Idempotency-Key is still with the card network; retry shortly`);
}

const failureReasonByKind: Record<GatewayFailureKind, FailureReason> = {
  error: 'gateway_error',
  timeout: 'gateway_timeout',
  unreachable: 'gateway_unreachable',
};

/**
 * One charge at the card network, as the network saw it: approved, declined or failed. A refused
 * connection is retried with backoff and jitter, because the request never reached the network
 * and so cannot have charged anyone. A timeout is not retried here: the network may have charged
 * the card, so the decision is left to the client's retry with the same key.
 */
async function askCardNetwork(deps: ChargePaymentDeps, charge: Charge): Promise<{ status: ChargeOutcomeStatus; reason: string | null; gatewayMs: number }> {
  const started = performance.now();
  let verdict: { status: ChargeOutcomeStatus; reason: string | null };
  try {
    verdict = await retry(
      () =>
        deps.gateway.network.charge({
          idempotencyKey: charge.idempotencyKey,
          amountCents: charge.amountCents,
          currency: charge.currency,
          customerEmail: charge.customerEmail,
        }),
      {
        attempts: 3,
        baseDelayMs: 50,
        maxDelayMs: 400,
        retryable: (err) => err instanceof GatewayError && err.kind === 'unreachable',
        onRetry: (err, attempt, delayMs) =>
          deps.logger.warn(
            { chargeId: charge.id, gateway: deps.gateway.name, attempt, delayMs, err: (err as Error).message },
            'card network unreachable; retrying',
          ),
      },
    );
  } catch (err) {
    if (!(err instanceof GatewayError)) throw err;
    verdict = { status: 'failed', reason: failureReasonByKind[err.kind] };
  }
  const gatewayMs = performance.now() - started;
  deps.gateway.window.record(verdict.status, gatewayMs);
  deps.metrics.recordOutcome(deps.gateway.name, verdict.status, verdict.reason, gatewayMs);
  return { ...verdict, gatewayMs };
}

function logOutcome(logger: Logger, charge: Charge, route: { gateway: string; fraudScore?: number }): void {
  const fields = {
    ...route,
    chargeId: charge.id,
    orderId: charge.orderId,
    amountCents: charge.amountCents,
    currency: charge.currency,
    status: charge.status,
    reason: charge.reason,
    gatewayMs: charge.gatewayMs,
    attempt: charge.attempts,
    // The domain is enough to tell test customers apart; the address is personal data.
    customerDomain: emailDomain(charge.customerEmail),
  };
  if (charge.status === 'failed') logger.warn(fields, 'charge failed at the card network');
  else logger.info(fields, `charge ${charge.status}`);
}
