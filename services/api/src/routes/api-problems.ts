import { defineProblems, HttpProblem, problems, type DomainErrorMapper } from '@firedrill/kit';
import { MixedCurrenciesError, OrderPaymentPendingError, UnknownProductsError } from '../domain/order-errors.ts';

/** The api's problem types: the kit's generic ones plus the shop's own. */
export const apiProblems = {
  ...problems,
  ...defineProblems({
    unknown_product: { status: 422, title: 'The order names a product that does not exist' },
    payments_unavailable: { status: 503, title: 'The payment service is unavailable; retry with the same Idempotency-Key' },
    checkout_paused: { status: 503, title: 'Checkout is paused; nothing was stored or charged. Retry after the Retry-After delay' },
  }),
};

/** What each domain error of the api means over HTTP. */
export const apiDomainErrors: DomainErrorMapper = (err) => {
  if (err instanceof UnknownProductsError) {
    return new HttpProblem(apiProblems.unknown_product, err.message, {
      errors: err.unknown.map((i) => ({ field: `items.${i.index}.productId`, message: `No product ${i.productId}` })),
    });
  }
  if (err instanceof MixedCurrenciesError) {
    return new HttpProblem(apiProblems.validation_failed, err.message, {
      errors: [{ field: 'items', message: `mixed currencies: ${err.currencies.join(', ')}` }],
    });
  }
  if (err instanceof OrderPaymentPendingError) {
    return new HttpProblem(apiProblems.payments_unavailable, err.message, { extensions: { orderId: err.orderId }, cause: err });
  }
  return undefined;
};
