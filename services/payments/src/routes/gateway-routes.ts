import { Router } from 'express';
import { z } from 'zod';
import type { OperationSpec } from '@firedrill/kit';
import type { GatewayStatus, GatewayWindow } from '../domain/gateway-window.ts';

const outcomeCounts = z.object({ approved: z.number().int(), declined: z.number().int(), failed: z.number().int() });
const gatewayStatusSchema = z.object({
  status: z.enum(['operational', 'degraded', 'down']),
  windowSeconds: z.number(),
  charges: outcomeCounts,
  /** null while the window is empty. */
  latencyMs: z.object({ p50: z.number().nullable(), p95: z.number().nullable() }),
}) satisfies z.ZodType<GatewayStatus>;

/** GET /payments/gateway/status — the card network's health over the last minute of real charges. */
export function gatewayRoutes(window: GatewayWindow): Router {
  const router = Router();
  router.get('/payments/gateway/status', (_req, res) => {
    res.set('Cache-Control', 'no-store').json(window.status());
  });
  return router;
}

export const gatewayOperations: OperationSpec[] = [
  {
    method: 'get',
    path: '/payments/gateway/status',
    summary: "The card network's health over the last minute of real charges",
    responses: { 200: { description: 'Health, outcome counts and latency', schema: gatewayStatusSchema } },
  },
];
