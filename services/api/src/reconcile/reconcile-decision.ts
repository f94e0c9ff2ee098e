import type { ChargeRecord } from '../clients/payments-client.ts';

/** What becomes of an order left pending, given what payments says of its charge. */
export type ReconcileDecision =
  | { outcome: 'paid'; chargeId: string }
  | { outcome: 'payment_failed'; reason: string; chargeId: string | null }
  | { outcome: 'charge_processing'; chargeId: string };

/** Why an order failed whose charge never reached payments (the client saw payments unavailable). */
export const chargeNeverMadeReason = 'payments_unavailable';

/**
 * The rule of reconciliation, kept apart from I/O so each case is unit-tested:
 * - approved → the order is paid (the customer was charged, so the shop must deliver);
 * - declined or failed at the card network → payment_failed with the network's reason;
 * - no charge at all → payment_failed: nobody was charged;
 * - still processing → no decision yet; the next pass asks again.
 * A failed charge could only be tried again by a retry of the order, which the order's new
 * status now answers without charging: failed is final once the order says so.
 */
export function decideFromCharge(charge: ChargeRecord | undefined): ReconcileDecision {
  if (!charge) return { outcome: 'payment_failed', reason: chargeNeverMadeReason, chargeId: null };
  switch (charge.status) {
    case 'approved':
      return { outcome: 'paid', chargeId: charge.id };
    case 'declined':
      return { outcome: 'payment_failed', reason: charge.reason ?? 'declined', chargeId: charge.id };
    case 'failed':
      return { outcome: 'payment_failed', reason: charge.reason ?? 'gateway_error', chargeId: charge.id };
    case 'processing':
      return { outcome: 'charge_processing', chargeId: charge.id };
  }
}
