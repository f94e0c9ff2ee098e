import { Router } from 'express';
import { z } from 'zod';
import { HttpProblem, parseOrThrow, problems } from '@firedrill/kit';
import { consolePanels, findConsolePanel } from '../charts/console-panels.ts';
import { queryPanelRange } from '../charts/query-range.ts';
import { requireSession } from '../session/require-session.ts';
import type { SessionStore } from '../session/session-store.ts';

const chartParams = z.strictObject({ id: z.string().regex(/^[a-z0-9-]{1,64}$/, 'a chart id from GET /console/charts') });
const chartQuery = z.strictObject({
  minutes: z.coerce
    .number()
    .int()
    .min(1)
    .max(24 * 60)
    .default(15)
    .describe('How far back the chart reaches'),
});

/** The charts (from the dashboards-as-code) and their data from Prometheus; any signed-in person. */
export function chartRoutes(deps: { sessions: SessionStore; prometheusUrl: string; now?: () => number }): Router {
  const router = Router();
  const now = deps.now ?? Date.now;
  router.get('/console/charts', requireSession(deps.sessions), (_req, res) => {
    res.json({ charts: consolePanels.map(({ id, group, panel }) => ({ id, group, title: panel.title, description: panel.description, unit: panel.unit })) });
  });
  router.get('/console/charts/:id', requireSession(deps.sessions), async (req, res) => {
    const { id } = parseOrThrow(chartParams, req.params);
    const { minutes } = parseOrThrow(chartQuery, req.query);
    const chart = findConsolePanel(id);
    if (!chart) throw new HttpProblem(problems.not_found, `No chart ${id}; GET /console/charts lists them`);
    const end = Math.floor(now() / 1000);
    // About 240 points whatever the span, never finer than the lab's 5 s scrape interval.
    const stepSeconds = Math.max(5, Math.round((minutes * 60) / 240));
    res.setHeader('cache-control', 'no-store');
    res.json(await queryPanelRange(deps.prometheusUrl, chart.panel, { start: end - minutes * 60, end, stepSeconds }));
  });
  return router;
}
