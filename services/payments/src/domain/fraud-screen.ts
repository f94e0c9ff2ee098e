import { setTimeout as realSleep } from 'node:timers/promises';
import { emailDomain } from './card-gateway.ts';

/**
 * Fraud scoring before the card network, as a release may introduce it: a synchronous call to a
 * scoring model that costs its time on every charge. It runs in shadow mode — each charge gets a
 * score that is logged with it, none is refused on it yet — which is how a new fraud model is
 * usually rolled out, and why its cost (not its verdicts) is what the shop notices first.
 */
export interface FraudScreen {
  /** A risk score from 0 (ordinary) to 1 (very likely fraud). */
  score(charge: { amountCents: number; currency: string; customerEmail: string }): Promise<number>;
}

export interface FraudScreenOptions {
  /** How long the scorer takes per charge. */
  costMs: number;
  sleep?: (ms: number) => Promise<unknown>;
}

/** Domains of throwaway mailboxes, a classic card-testing signal. */
const disposableDomains = new Set(['mailinator.com', 'guerrillamail.com', 'trashmail.com', '10minutemail.com']);

export function createFraudScreen(options: FraudScreenOptions): FraudScreen {
  const sleep = options.sleep ?? realSleep;
  return {
    async score(charge) {
      await sleep(options.costMs);
      return riskScore(charge);
    },
  };
}

/** The model itself: large baskets and throwaway mailboxes raise the risk. */
export function riskScore(charge: { amountCents: number; customerEmail: string }): number {
  let risk = 0.05;
  if (charge.amountCents > 50_000) risk += 0.3;
  if (charge.amountCents > 200_000) risk += 0.3;
  if (disposableDomains.has(emailDomain(charge.customerEmail))) risk += 0.3;
  return Math.min(1, Math.round(risk * 100) / 100);
}
