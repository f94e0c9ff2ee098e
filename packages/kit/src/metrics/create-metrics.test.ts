import { describe, expect, it } from 'vitest';
import express from 'express';
import { startHttpServer } from '../http/index.ts';
import { createRegistry, httpMetricsMiddleware, metricsHandler } from './create-metrics.ts';

describe('httpMetricsMiddleware', () => {
  it('when requests are served, then they are counted by route template, not raw path', async () => {
    const registry = createRegistry('test');
    const app = express();
    app.use(httpMetricsMiddleware(registry));
    const router = express.Router();
    router.get('/items/:id', (_req, res) => res.json({ ok: true }));
    router.post('/items', express.json(), (_req, res) => res.status(201).end());
    const mounted = express.Router();
    mounted.get('/', (_req, res) => res.json([]));
    app.use('/api/things', mounted);
    app.use('/api', router);
    app.get(
      '/metrics',
      metricsHandler(registry, async () => '# extra text'),
    );
    const server = await startHttpServer(app, { port: 0, host: '127.0.0.1' });
    try {
      await fetch(`${server.url}/api/items/1`);
      await fetch(`${server.url}/api/items/2`);
      await fetch(`${server.url}/api/unknown`);
      await fetch(`${server.url}/api/things`);
      // Rejected by the body parser before Express matched the route: still labelled by template.
      await fetch(`${server.url}/api/items`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{oops' });
      const text = await (await fetch(`${server.url}/metrics`)).text();
      expect(text).toMatch(/http_requests_total\{method="GET",route="\/api\/items\/:id",status_code="200",service="test"\} 2/);
      expect(text).toMatch(/http_requests_total\{method="GET",route="unmatched",status_code="404",service="test"\} 1/);
      expect(text).toMatch(/http_requests_total\{method="POST",route="\/api\/items",status_code="400",service="test"\} 1/);
      expect(text).toMatch(/http_requests_total\{method="GET",route="\/api\/things",status_code="200",service="test"\} 1/);
      expect(text).not.toContain('/api/items/1"');
      expect(text).toContain('http_request_duration_seconds_bucket');
      expect(text).toContain('# extra text');
    } finally {
      await server.close();
    }
  });
});
