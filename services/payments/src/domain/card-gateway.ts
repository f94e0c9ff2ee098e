import { setTimeout as realSleep } from 'node:timers/promises';
import { logNormal } from '@firedrill/kit';

/**
 * The simulated card network. It behaves like a real acquirer from the outside: it takes time to
 * answer (log-normal latency, a long right tail), it declines a share of ordinary cards for the
 * usual reasons, and it can fail. Test customers get a fixed answer so scripts and load tests can
 * choose their outcome by e-mail domain.
 */

export const declineReasons = ['card_declined', 'insufficient_funds', 'expired_card'] as const;
export type DeclineReason = (typeof declineReasons)[number];

export type GatewayOutcome = { status: 'approved'; reason: null } | { status: 'declined'; reason: DeclineReason };

export interface GatewayChargeRequest {
  /** Passed on like a real acquirer's idempotency key: the network's own guard against double charges. */
  idempotencyKey: string;
  amountCents: number;
  currency: string;
  customerEmail: string;
}

/** How the card network failed; `unreachable` means the request never left this process. */
export type GatewayFailureKind = 'error' | 'timeout' | 'unreachable';

export class GatewayError extends Error {
  readonly kind: GatewayFailureKind;
  constructor(kind: GatewayFailureKind, message: string) {
    super(message);
    this.name = 'GatewayError';
    this.kind = kind;
  }
}

/**
 * Extension point for the chaos agent's payment-failure faults. Asked once per charge, before the
 * network answers; `undefined` (or no hook at all) leaves the charge to the network. The gateway
 * knows how each mode looks from the outside; when and how often to inject one is the agent's
 * business, so none of that decision lives here.
 *   declined      the network answers with a decline (card_declined unless a reason is given)
 *   gateway-error the network answers, with an error, after its usual latency
 *   timeout       the network never answers; the charge gives up after the gateway timeout
 *   unreachable   the connection is refused at once
 */
export type GatewayFault = { mode: 'declined'; reason?: DeclineReason } | { mode: 'gateway-error' } | { mode: 'timeout' } | { mode: 'unreachable' };
export type GatewayFaults = (request: GatewayChargeRequest) => GatewayFault | undefined;

export interface CardGatewayOptions {
  /** Share of ordinary charges declined (0–1). */
  declineRate: number;
  latencyMedianMs: number;
  /** Log-normal sigma: 0 gives a constant latency. */
  latencySigma: number;
  /** The caller's patience: a slower answer is abandoned with a `timeout` GatewayError. */
  timeoutMs: number;
  /** Uniform [0, 1); injected so tests are deterministic. */
  random?: () => number;
  sleep?: (ms: number) => Promise<unknown>;
  faults?: GatewayFaults;
}

export interface CardGateway {
  /** Resolves with the network's verdict, or rejects with a GatewayError. */
  charge(request: GatewayChargeRequest): Promise<GatewayOutcome>;
}

/** Test customers: the e-mail domain picks the outcome. */
const testCustomers: Record<string, GatewayOutcome> = {
  'approve.test': { status: 'approved', reason: null },
  'decline.test': { status: 'declined', reason: 'card_declined' },
};

/** Rough shares of decline reasons on a consumer card network (cumulative thresholds below). */
const declineMix: ReadonlyArray<readonly [DeclineReason, number]> = [
  ['insufficient_funds', 0.45],
  ['card_declined', 0.4],
  ['expired_card', 0.15],
];

/** A log-normal tail is unbounded; a real network's slowest answers are not. */
const latencyCapFactor = 20;

export function createCardGateway(options: CardGatewayOptions): CardGateway {
  const random = options.random ?? Math.random;
  const sleep = options.sleep ?? realSleep;

  return {
    async charge(request) {
      const fault = options.faults?.(request);
      if (fault?.mode === 'unreachable') {
        throw new GatewayError('unreachable', 'connection to the card network refused');
      }
      const latencyMs = fault?.mode === 'timeout' ? Infinity : sampleLatencyMs(options, random);
      if (latencyMs > options.timeoutMs) {
        await sleep(options.timeoutMs);
        throw new GatewayError('timeout', `the card network did not answer within ${options.timeoutMs} ms`);
      }
      await sleep(latencyMs);
      if (fault?.mode === 'gateway-error') {
        throw new GatewayError('error', 'the card network answered with an internal error');
      }
      if (fault?.mode === 'declined') {
        return { status: 'declined', reason: fault.reason ?? 'card_declined' };
      }
      return testCustomers[emailDomain(request.customerEmail)] ?? naturalOutcome(options.declineRate, random);
    },
  };
}

/** Log-normal around the median, capped at latencyCapFactor × median. */
export function sampleLatencyMs(options: Pick<CardGatewayOptions, 'latencyMedianMs' | 'latencySigma'>, random: () => number): number {
  const { latencyMedianMs: median, latencySigma: sigma } = options;
  return Math.min(logNormal(median, sigma, random), median * latencyCapFactor);
}

function naturalOutcome(declineRate: number, random: () => number): GatewayOutcome {
  if (random() >= declineRate) return { status: 'approved', reason: null };
  let pick = random();
  for (const [reason, share] of declineMix) {
    if (pick < share) return { status: 'declined', reason };
    pick -= share;
  }
  return { status: 'declined', reason: 'card_declined' };
}

/** Lower-cased domain of an address; logs carry this, never the address itself. */
export function emailDomain(email: string): string {
  return email.slice(email.lastIndexOf('@') + 1).toLowerCase();
}
