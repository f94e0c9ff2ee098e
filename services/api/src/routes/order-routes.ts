import { Router } from 'express';
import { z } from 'zod';
import { HttpProblem, jsonBody, jsonBodyProblems, parseOrThrow, requireIdempotencyKey, type OperationSpec } from '@firedrill/kit';
import type { RequestHandler } from 'express';
import { findOrder } from '../data-access/order-repository.ts';
import { orderRequestHeaders, orderRequestSchema } from '../domain/order-request.ts';
import { placeOrder, type PlaceOrderDeps } from '../domain/place-order.ts';
import { apiProblems } from './api-problems.ts';
import { orderRepresentation, orderRepresentationSchema } from './order-representation.ts';

const orderIdParams = z.object({ id: z.uuid().describe('The order id returned when it was placed') });

/** How long a client is asked to wait while checkout is paused; short, as a pause is an incident lever. */
export const checkoutPausedRetryAfterSeconds = 30;

/**
 * Degraded mode: while checkout is paused, an order is refused before its body is even read, so
 * nothing is stored or charged and no accepted order can be lost. The client is told when to retry.
 */
function refuseWhilePaused(checkoutPaused: () => Promise<boolean>): RequestHandler {
  return async (_req, res, next) => {
    if (!(await checkoutPaused())) return next();
    res.set('Retry-After', String(checkoutPausedRetryAfterSeconds));
    throw new HttpProblem(apiProblems.checkout_paused, 'Checkout is paused while the shop recovers; the catalogue is still available');
  };
}

export function orderRoutes(deps: PlaceOrderDeps & { checkoutPaused: () => Promise<boolean> }): Router {
  const router = Router();

  router.post('/', refuseWhilePaused(deps.checkoutPaused), ...jsonBody('32kb'), async (req, res) => {
    const idempotencyKey = requireIdempotencyKey(req, 'so a retry cannot order twice');
    const request = parseOrThrow(orderRequestSchema, req.body ?? {});
    const { order, replayed } = await placeOrder(request, idempotencyKey, deps);
    if (replayed) res.set('Idempotent-Replayed', 'true');
    // 402 Payment Required for a declined card; 201 for an order paid or already further along.
    const status = order.status === 'payment_failed' ? 402 : 201;
    res.status(status).location(`${req.baseUrl}/${order.id}`).json(orderRepresentation(order));
  });

  router.get('/:id', async (req, res) => {
    const { id } = parseOrThrow(orderIdParams, req.params);
    const order = await findOrder(deps.pool, id);
    if (!order) throw new HttpProblem(apiProblems.not_found, `No order ${id}`);
    res.json(orderRepresentation(order));
  });

  return router;
}

const orderHeaders = {
  Location: { description: 'Where the order can be read', schema: z.string() },
  'Idempotent-Replayed': { description: '"true" when this is the stored answer to an earlier request with the same key', schema: z.literal('true') },
};

/** The routes above, for the OpenAPI document, from the schemas they parse with. */
export const orderOperations = (prefix: string): OperationSpec[] => [
  {
    method: 'post',
    path: prefix,
    summary: 'Place an order and charge it, exactly once per Idempotency-Key',
    headers: orderRequestHeaders,
    body: orderRequestSchema,
    responses: {
      201: { description: 'Paid (or already further along): the order', schema: orderRepresentationSchema, headers: orderHeaders },
      402: { description: 'The card was declined: the order, with `reason`', schema: orderRepresentationSchema, headers: orderHeaders },
    },
    problems: [
      ...jsonBodyProblems,
      apiProblems.idempotency_key_required,
      apiProblems.idempotency_key_reused,
      apiProblems.unknown_product,
      apiProblems.payments_unavailable,
      apiProblems.checkout_paused,
      apiProblems.dependency_unavailable,
    ],
    problemHeaders: {
      503: { 'Retry-After': { description: 'With `checkout_paused`: seconds to wait before placing the order again', schema: z.string().regex(/^\d+$/) } },
    },
  },
  {
    method: 'get',
    path: `${prefix}/{id}`,
    summary: 'One order',
    params: orderIdParams,
    responses: { 200: { description: 'The order', schema: orderRepresentationSchema } },
    problems: [apiProblems.validation_failed, apiProblems.not_found, apiProblems.dependency_unavailable],
  },
];
