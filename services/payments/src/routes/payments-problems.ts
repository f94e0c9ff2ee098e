import { defineProblems, HttpProblem, problems, type DomainErrorMapper } from '@firedrill/kit';
import { ChargeNotSettledError } from '../domain/charge-errors.ts';

/** The payments service's problem types: the kit's generic ones plus its own. */
export const paymentsProblems = {
  ...problems,
  ...defineProblems({
    gateway_error: { status: 502, title: 'The card network did not complete the charge; retry with the same Idempotency-Key' },
  }),
};

/** What each domain error of payments means over HTTP. */
export const paymentsDomainErrors: DomainErrorMapper = (err) => {
  if (err instanceof ChargeNotSettledError) {
    return new HttpProblem(paymentsProblems.gateway_error, err.message, { extensions: { chargeId: err.chargeId, reason: err.reason } });
  }
  return undefined;
};
