import { Router } from 'express';
import { z } from 'zod';
import { HttpProblem, jsonBody, jsonBodyProblems, parseOrThrow, requireIdempotencyKey, type OperationSpec } from '@firedrill/kit';
import { findOrder } from '../data-access/order-repository.ts';
import { orderRequestHeaders, orderRequestSchema } from '../domain/order-request.ts';
import { placeOrder, type PlaceOrderDeps } from '../domain/place-order.ts';
import { apiProblems } from './api-problems.ts';
import { orderRepresentation, orderRepresentationSchema } from './order-representation.ts';

const orderIdParams = z.object({ id: z.uuid().describe('The order id returned when it was placed') });

export function orderRoutes(deps: PlaceOrderDeps): Router {
  const router = Router();

  router.post('/', ...jsonBody('32kb'), async (req, res) => {
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
      apiProblems.dependency_unavailable,
    ],
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
