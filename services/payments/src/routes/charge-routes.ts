import { Router } from 'express';
import { z } from 'zod';
import { HttpProblem, parseOrThrow } from '@firedrill/kit';
import { findChargeByIdempotencyKey, type Charge } from '../data-access/charge-repository.ts';
import { chargePayment, type ChargePaymentDeps, type ChargeRequest } from '../domain/charge-payment.ts';

const idempotencyKeySchema = z.object({
  'Idempotency-Key': z.string().min(1, 'must not be empty').max(200, 'must be at most 200 characters'),
});

const chargeRequestSchema = z.object({
  orderId: z.string().min(1).max(100),
  // An integer number of cents: floating-point money is how rounding errors get into ledgers.
  amountCents: z.number().int().positive().max(99_999_999),
  currency: z.string().regex(/^[A-Z]{3}$/, 'must be an ISO 4217 code such as EUR'),
  customer: z.object({ email: z.email().max(254) }),
}) satisfies z.ZodType<ChargeRequest>;

const lookupKeySchema = z.string().min(1, 'must not be empty').max(200, 'must be at most 200 characters');

/**
 * POST /payments/charges — see chargePayment for the idempotency rules.
 * GET /payments/charges/by-key/:idempotencyKey — the charge made under a key, in whatever state it
 * is now (processing, approved, declined, failed), or 404 when no request with that key arrived.
 * The shop's order reconciler asks it what became of a charge whose answer it never got.
 */
export function chargeRoutes(deps: ChargePaymentDeps): Router {
  const router = Router();

  router.post('/payments/charges', async (req, res) => {
    const idempotencyKey = req.get('Idempotency-Key');
    if (idempotencyKey === undefined) {
      throw new HttpProblem('idempotency_key_required', 'Send an Idempotency-Key header (1–200 characters), the same one on every retry', {
        errors: [{ field: 'Idempotency-Key', message: 'Required' }],
      });
    }
    parseOrThrow(idempotencyKeySchema, { 'Idempotency-Key': idempotencyKey });
    const request = parseOrThrow(chargeRequestSchema, req.body);

    const { charge, replayed } = await chargePayment(deps, { idempotencyKey, request });
    if (replayed) res.set('Idempotent-Replayed', 'true');
    // 402 Payment Required is the conventional answer for a card the network declined.
    res.status(charge.status === 'approved' ? 201 : 402).json(chargeBody(charge));
  });

  router.get('/payments/charges/by-key/:idempotencyKey', async (req, res) => {
    const key = parseOrThrow(lookupKeySchema, req.params.idempotencyKey, 'idempotencyKey');
    const charge = await findChargeByIdempotencyKey(deps.pool, key);
    if (!charge) throw new HttpProblem('not_found', `No charge was requested with Idempotency-Key ${key}`);
    // A charge still processing changes soon: never let a cache keep that answer.
    res.set('Cache-Control', 'no-store').json(chargeBody(charge));
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
