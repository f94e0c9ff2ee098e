/**
 * The numbers of a PIR's impact section, read once when the draft is made (gather-impact-figures.ts)
 * over the impact window. null: the source could not tell (Prometheus or the shop's database away,
 * a series absent); the draft then says "unknown" with why, rather than a guess.
 */
export interface ImpactFigures {
  /** Orders the shop marked payment_failed in the window (the shop's database). */
  ordersFailed: number | null;
  /** Checkouts (POST /api/orders) answered 5xx in the window: orders that never got a row. */
  checkoutErrors: number | null;
  /** Charges counted failed by payments (payment_processed_total{status="failed"}). */
  paymentsFailed: number | null;
  /** Percent of the checkout-availability error budget burned in the window (the SLO recording rules). */
  errorBudgetBurnedPercent: number | null;
  /** Why figures are missing, one line each, for the draft. */
  notes: string[];
}

export const unknownFigures = (note: string): ImpactFigures => ({
  ordersFailed: null,
  checkoutErrors: null,
  paymentsFailed: null,
  errorBudgetBurnedPercent: null,
  notes: [note],
});
