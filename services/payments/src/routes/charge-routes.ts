import { Router } from 'express';
import { z } from 'zod';
import {
  HttpProblem,
  idempotencyKeySchema,
  jsonBodyProblems,
  parseOrThrow,
  requireIdempotencyKey,
  storable,
  storableText,
  type OperationSpec,
} from '@firedrill/kit';
import { findChargeByIdempotencyKey, type Charge } from '../data-access/charge-repository.ts';
import { chargePayment, type ChargePaymentDeps, type ChargeRequest } from '../domain/charge-payment.ts';
import type { FraudScreen } from '../domain/fraud-screen.ts';
import type { PaymentGateways } from '../domain/payment-gateways.ts';
import type { PaymentsFlags } from '../flags.ts';
import { paymentsProblems } from './payments-problems.ts';

/** The headers of POST /payments/charges, for the OpenAPI document (the route parses them with requireIdempotencyKey). */
const chargeRequestHeaders = z.object({
  'Idempotency-Key': idempotencyKeySchema.describe('Any unique string per charge; send the same one on every retry so the card is charged once'),
});

const chargeRequestSchema = z.object({
  orderId: storableText().min(1).max(100),
  // An integer number of cents: floating-point money is how rounding errors get into ledgers.
  amountCents: z.number().int().positive().max(99_999_999),
  currency: z.string().regex(/^[A-Z]{3}$/, 'must be an ISO 4217 code such as EUR'),
  customer: z.object({ email: storable(z.email().max(254)).meta({ examples: ['ada@example.com'] }) }),
}) satisfies z.ZodType<ChargeRequest>;

const chargeSchema = z.object({
  id: z.uuid(),
  orderId: z.string(),
  status: z.enum(['processing', 'approved', 'declined', 'failed']),
  /** Why the network declined it; null when approved. */
  reason: z.string().nullable(),
  amountCents: z.number().int(),
  currency: z.string(),
  createdAt: z.iso.datetime(),
});

const lookupParams = z.object({
  idempotencyKey: idempotencyKeySchema.describe('The Idempotency-Key the charge was requested with'),
});

/**
 * POST /payments/charges — see chargePayment for the idempotency rules.
 * GET /payments/charges/by-key/:idempotencyKey — the charge made under a key, in whatever state it
 * is now (processing, approved, declined, failed), or 404 when no request with that key arrived.
 * The shop's order reconciler asks it what became of a charge whose answer it never got.
 */
export interface ChargeRouteDeps extends Omit<ChargePaymentDeps, 'gateway' | 'fraudScreen'> {
  gateways: PaymentGateways;
  fraudScreen: FraudScreen;
  flags: PaymentsFlags;
}

export function chargeRoutes(deps: ChargeRouteDeps): Router {
  const router = Router();

  router.post('/payments/charges', async (req, res) => {
    const idempotencyKey = requireIdempotencyKey(req, 'and the same one on every retry, so a retry cannot charge twice');
    const request = parseOrThrow(chargeRequestSchema, req.body);

    // The flags decide here, at the edge, which gateway and which steps this charge gets.
    const [gateway, fraudCheck] = await Promise.all([deps.flags.activeGateway(), deps.flags.fraudCheck()]);
    const { charge, replayed } = await chargePayment(
      { ...deps, gateway: deps.gateways[gateway], fraudScreen: fraudCheck ? deps.fraudScreen : undefined },
      { idempotencyKey, request },
    );
    if (replayed) res.set('Idempotent-Replayed', 'true');
    // 402 Payment Required is the conventional answer for a card the network declined.
    res.status(charge.status === 'approved' ? 201 : 402).json(chargeBody(charge));
  });

  router.get('/payments/charges/by-key/:idempotencyKey', async (req, res) => {
    const { idempotencyKey: key } = parseOrThrow(lookupParams, req.params);
    const charge = await findChargeByIdempotencyKey(deps.pool, key);
    if (!charge) throw new HttpProblem(paymentsProblems.not_found, `No charge was requested with Idempotency-Key ${key}`);
    // A charge still processing changes soon: never let a cache keep that answer.
    res.set('Cache-Control', 'no-store').json(chargeBody(charge));
  });

  return router;
}

function chargeBody(charge: Charge): z.output<typeof chargeSchema> {
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

const replayedHeader = {
  'Idempotent-Replayed': { description: '"true" when this is the stored answer to an earlier request with the same key', schema: z.literal('true') },
};

/** The route above, for the OpenAPI document, from the schemas it parses with. */
export const chargeOperations: OperationSpec[] = [
  {
    method: 'post',
    path: '/payments/charges',
    summary: 'Charge a card, at most once per Idempotency-Key',
    headers: chargeRequestHeaders,
    body: chargeRequestSchema,
    responses: {
      201: { description: 'Approved: the charge', schema: chargeSchema, headers: replayedHeader },
      402: { description: 'Declined by the card network: the charge, with `reason`', schema: chargeSchema, headers: replayedHeader },
    },
    problems: [
      ...jsonBodyProblems,
      paymentsProblems.idempotency_key_required,
      paymentsProblems.idempotency_key_reused,
      paymentsProblems.request_in_progress,
      paymentsProblems.gateway_error,
      paymentsProblems.dependency_unavailable,
    ],
  },
  {
    method: 'get',
    path: '/payments/charges/by-key/{idempotencyKey}',
    summary: 'The charge requested with an Idempotency-Key, in its current state (how the shop reconciles orders whose answer it never got)',
    params: lookupParams,
    responses: { 200: { description: 'The charge', schema: chargeSchema } },
    problems: [paymentsProblems.not_found, paymentsProblems.dependency_unavailable],
  },
];
