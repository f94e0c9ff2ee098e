/**
 * Why an order was refused, as the shop's domain says it. The routes decide what each means over
 * HTTP (routes/api-problems.ts); nothing here knows about status codes.
 */

/** The order names products the catalogue does not have. */
export class UnknownProductsError extends Error {
  override name = 'UnknownProductsError';
  readonly unknown: readonly { index: number; productId: string }[];
  constructor(unknown: readonly { index: number; productId: string }[]) {
    super(`Unknown product(s): ${unknown.map((i) => i.productId).join(', ')}`);
    this.unknown = unknown;
  }
}

/** The items are priced in different currencies; one order is charged in one currency. */
export class MixedCurrenciesError extends Error {
  override name = 'MixedCurrenciesError';
  readonly currencies: readonly string[];
  constructor(currencies: readonly string[]) {
    super('All items of one order must share a currency');
    this.currencies = currencies;
  }
}

/** Payments gave no answer; the order is stored `pending` and a retry with the same key resumes it. */
export class OrderPaymentPendingError extends Error {
  override name = 'OrderPaymentPendingError';
  readonly orderId: string;
  constructor(orderId: string, options?: { cause?: unknown }) {
    super('Payments could not be reached; retry with the same Idempotency-Key', options);
    this.orderId = orderId;
  }
}
