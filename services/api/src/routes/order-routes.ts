import { Router } from 'express';
import { z } from 'zod';
import { HttpProblem, jsonBody, jsonBodyProblems, parseOrThrow, type OperationSpec } from '@firedrill/kit';
import { findOrder } from '../data-access/order-repository.ts';
import { idempotencyKeySchema, orderRequestHeaders, orderRequestSchema } from '../domain/order-request.ts';
import { placeOrder, type PlaceOrderDeps } from '../domain/place-order.ts';
import { orderRepresentation, orderRepresentationSchema } from './order-representation.ts';

const orderIdParams = z.object({ id: z.uuid().describe('The order id returned when it was placed') });

export function orderRoutes(deps: PlaceOrderDeps): Router {
  const router = Router();

  router.post('/', ...jsonBody('32kb'), async (req, res) => {
    const key = req.get('idempotency-key');
    if (!key) {
      throw new HttpProblem('idempotency_key_required', 'Send an Idempotency-Key header (1–200 characters) so a retry cannot order twice', {
        errors: [{ field: 'Idempotency-Key', message: 'Required' }],
      });
    }
    const idempotencyKey = parseOrThrow(idempotencyKeySchema, key, 'Idempotency-Key');
    const request = parseOrThrow(orderRequestSchema, req.body ?? {});
    const { httpStatus, order, replayed } = await placeOrder(request, idempotencyKey, deps);
    if (replayed) res.set('Idempotent-Replayed', 'true');
    res.status(httpStatus).location(`${req.baseUrl}/${order.id}`).json(orderRepresentation(order));
  });

  router.get('/:id', async (req, res) => {
    const { id } = parseOrThrow(orderIdParams, req.params);
    const order = await findOrder(deps.pool, id);
    if (!order) throw new HttpProblem('not_found', `No order ${id}`);
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
      'idempotency_key_required',
      'idempotency_key_reused',
      'unknown_product',
      'payments_unavailable',
      'dependency_unavailable',
    ],
  },
  {
    method: 'get',
    path: `${prefix}/{id}`,
    summary: 'One order',
    params: orderIdParams,
    responses: { 200: { description: 'The order', schema: orderRepresentationSchema } },
    problems: ['validation_failed', 'not_found', 'dependency_unavailable'],
  },
];
