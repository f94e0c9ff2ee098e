import { Router } from 'express';
import type { GatewayWindow } from '../domain/gateway-window.ts';

/** GET /payments/gateway/status — the card network's health over the last minute of real charges. */
export function gatewayRoutes(window: GatewayWindow): Router {
  const router = Router();
  router.get('/payments/gateway/status', (_req, res) => {
    res.set('Cache-Control', 'no-store').json(window.status());
  });
  return router;
}
