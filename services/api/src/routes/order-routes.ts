import { Router } from 'express';
import { z } from 'zod';
import { HttpProblem, jsonBody, parseOrThrow, requireIdempotencyKey } from '@firedrill/kit';
import { findOrder } from '../data-access/order-repository.ts';
import { orderRequestSchema } from '../domain/order-request.ts';
import { placeOrder, type PlaceOrderDeps } from '../domain/place-order.ts';
import { apiProblems } from './api-problems.ts';
import { orderRepresentation } from './order-representation.ts';

const orderIdSchema = z.uuid();

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
    const id = parseOrThrow(orderIdSchema, req.params.id, 'id');
    const order = await findOrder(deps.pool, id);
    if (!order) throw new HttpProblem(apiProblems.not_found, `No order ${id}`);
    res.json(orderRepresentation(order));
  });

  return router;
}
