import { Router } from 'express';
import { z } from 'zod';
import { HttpProblem, jsonBody, parseOrThrow } from '@firedrill/kit';
import { findOrder } from '../data-access/order-repository.ts';
import { idempotencyKeySchema, orderRequestSchema } from '../domain/order-request.ts';
import { placeOrder, type PlaceOrderDeps } from '../domain/place-order.ts';
import { orderRepresentation } from './order-representation.ts';

const orderIdSchema = z.uuid();

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
    const id = parseOrThrow(orderIdSchema, req.params.id, 'id');
    const order = await findOrder(deps.pool, id);
    if (!order) throw new HttpProblem('not_found', `No order ${id}`);
    res.json(orderRepresentation(order));
  });

  return router;
}
