import { Router } from 'express';
import { z } from 'zod';
import { parseOrThrow, requireIdempotencyKey } from '@firedrill/kit';
import type { Charge } from '../data-access/charge-repository.ts';
import { chargePayment, type ChargePaymentDeps, type ChargeRequest } from '../domain/charge-payment.ts';

const chargeRequestSchema = z.object({
  orderId: z.string().min(1).max(100),
  // An integer number of cents: floating-point money is how rounding errors get into ledgers.
  amountCents: z.number().int().positive().max(99_999_999),
  currency: z.string().regex(/^[A-Z]{3}$/, 'must be an ISO 4217 code such as EUR'),
  customer: z.object({ email: z.email().max(254) }),
}) satisfies z.ZodType<ChargeRequest>;

/** POST /payments/charges — see chargePayment for the idempotency rules. */
export function chargeRoutes(deps: ChargePaymentDeps): Router {
  const router = Router();

  router.post('/payments/charges', async (req, res) => {
    const idempotencyKey = requireIdempotencyKey(req, 'and the same one on every retry, so a retry cannot charge twice');
    const request = parseOrThrow(chargeRequestSchema, req.body);

    const { charge, replayed } = await chargePayment(deps, { idempotencyKey, request });
    if (replayed) res.set('Idempotent-Replayed', 'true');
    // 402 Payment Required is the conventional answer for a card the network declined.
    res.status(charge.status === 'approved' ? 201 : 402).json(chargeBody(charge));
  });

  return router;
}

function chargeBody(charge: Charge) {
  return {
    id: charge.id,
    orderId: charge.orderId,
    status: charge.status,
    reason: charge.reason,
    amountCents: charge.amountCents,
    currency: charge.currency,
    createdAt: charge.createdAt.toISOString(),
  };
}
