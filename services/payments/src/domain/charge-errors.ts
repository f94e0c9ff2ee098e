/**
 * The card network did not settle the charge (it failed, timed out or could not be reached). The
 * charge is stored `failed`; a retry with the same Idempotency-Key tries again. The routes say
 * what this means over HTTP (routes/payments-problems.ts).
 */
export class ChargeNotSettledError extends Error {
  override name = 'ChargeNotSettledError';
  readonly chargeId: string;
  readonly reason: string | null;
  constructor(chargeId: string, reason: string | null) {
    super(`The card network did not settle charge ${chargeId} (${reason}); retry with the same Idempotency-Key`);
    this.chargeId = chargeId;
    this.reason = reason;
  }
}
