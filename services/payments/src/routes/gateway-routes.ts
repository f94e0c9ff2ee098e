import { Router } from 'express';
import { z } from 'zod';
import type { OperationSpec } from '@firedrill/kit';
import type { GatewayStatus } from '../domain/gateway-window.ts';
import { gatewayNames, type GatewayName, type PaymentGateways } from '../domain/payment-gateways.ts';

const outcomeCounts = z.object({ approved: z.number().int(), declined: z.number().int(), failed: z.number().int() });
const windowStatusSchema = z.object({
  status: z.enum(['operational', 'degraded', 'down']),
  windowSeconds: z.number(),
  charges: outcomeCounts,
  /** null while the window is empty. */
  latencyMs: z.object({ p50: z.number().nullable(), p95: z.number().nullable() }),
}) satisfies z.ZodType<GatewayStatus>;

const gatewayStatusSchema = windowStatusSchema.extend({
  gateway: z.enum(gatewayNames).describe('The gateway charges go to now; the fields above describe it'),
  gateways: z.object({ primary: windowStatusSchema, secondary: windowStatusSchema }).describe('Each gateway on its own'),
});

/**
 * GET /payments/gateway/status — card network health over the last minute of real charges: the
 * gateway in use at the top level (what checkout depends on now), and each gateway on its own
 * (so after a failover the primary is still seen as it is).
 */
export function gatewayRoutes(gateways: PaymentGateways, activeGateway: () => Promise<GatewayName>): Router {
  const router = Router();
  router.get('/payments/gateway/status', async (_req, res) => {
    const active = await activeGateway();
    const each = { primary: gateways.primary.window.status(), secondary: gateways.secondary.window.status() };
    const body: z.output<typeof gatewayStatusSchema> = { ...each[active], gateway: active, gateways: each };
    res.set('Cache-Control', 'no-store').json(body);
  });
  return router;
}

export const gatewayOperations: OperationSpec[] = [
  {
    method: 'get',
    path: '/payments/gateway/status',
    summary: "The card gateways' health over the last minute of real charges",
    responses: { 200: { description: 'Health, outcome counts and latency of the gateway in use, and of each gateway', schema: gatewayStatusSchema } },
  },
];
