import { Router } from 'express';
import { z } from 'zod';
import { HttpProblem, parseOrThrow, problems } from '@firedrill/kit';
import { type ConsolePanel, consolePanels, findConsolePanel } from '../charts/console-panels.ts';
import { queryPanelRange } from '../charts/query-range.ts';
import { requireSession, sessionOf } from '../session/require-session.ts';
import type { Caller, SessionStore } from '../session/session-store.ts';
import type { PrometheusClient } from '@firedrill/kit';
import { chartTeam } from '../charts/chart-team.ts';
import { teamNamePattern, teamNameRule } from '@firedrill/conventions';

const chartParams = z.strictObject({ id: z.string().regex(/^[a-z0-9-]{1,64}$/, 'a chart id from GET /console/charts') });
/** A run's own span, for the debrief: unix seconds, at most a day long. */
const unixSeconds = z.coerce.number().int().min(0).max(4_102_444_800);
const chartQuery = z
  .strictObject({
    minutes: z.coerce
      .number()
      .int()
      .min(1)
      .max(24 * 60)
      .optional()
      .describe('How far back the chart reaches from now (default 15); not with from/to'),
    from: unixSeconds.optional().describe("The window's start, unix seconds (a run's debrief); with `to`"),
    to: unixSeconds.optional().describe("The window's end, unix seconds; with `from`"),
    team: z
      .string()
      .regex(teamNamePattern, `must be ${teamNameRule}`)
      .optional()
      .describe("In a class: the team whose shop the chart shows (the instructor's pick, the operator's, which it must name; a trainee's is always their own)"),
  })
  .refine((q) => (q.from === undefined) === (q.to === undefined), { message: 'from and to go together' })
  .refine((q) => q.from === undefined || q.minutes === undefined, { message: 'either minutes or from/to, not both' })
  .refine((q) => q.from === undefined || q.to === undefined || q.to > q.from, { message: 'to must be after from' })
  .refine((q) => q.from === undefined || q.to === undefined || q.to - q.from <= 24 * 60 * 60, { message: 'a window is at most a day long' });

/** The [start, end] a chart query covers, in unix seconds. */
function windowOf(query: z.output<typeof chartQuery>, nowSeconds: number): { start: number; end: number } {
  if (query.from !== undefined && query.to !== undefined) return { start: query.from, end: query.to };
  return { start: nowSeconds - (query.minutes ?? 15) * 60, end: nowSeconds };
}

/** The charts (from the dashboards-as-code) and their data from Prometheus; any signed-in person. */
/**
 * `prometheusFor`: the caller's Prometheus for the chart's team and the series it reads (chart-source.ts:
 * the instructor's direct, a trainee's through their team's label proxy, the operator's through its
 * pick's; a class's shared planes' from the lab's, limited to series without a team); `classTeams`: the class's teams (chart-team.ts), none for one shop.
 */
export function chartRoutes(deps: {
  sessions: SessionStore;
  prometheusFor: (caller: Caller, team: string | undefined, reads: ConsolePanel['reads']) => PrometheusClient;
  classTeams?: readonly string[];
  now?: () => number;
}): Router {
  const classTeams = deps.classTeams ?? [];
  const router = Router();
  const now = deps.now ?? Date.now;
  router.get('/console/charts', requireSession(deps.sessions), (_req, res) => {
    res.json({
      charts: consolePanels.map(({ id, group, panel }) => ({ id, group, title: panel.title, description: panel.description, unit: panel.unit })),
      // The teams the instructor and the operator pick from (a class); empty for a single shop.
      teams: classTeams,
    });
  });
  router.get('/console/charts/:id', requireSession(deps.sessions), async (req, res) => {
    const { id } = parseOrThrow(chartParams, req.params);
    const query = parseOrThrow(chartQuery, req.query);
    const caller = sessionOf(req, res).caller;
    const team = chartTeam(caller, query.team, classTeams);
    const { start, end } = windowOf(query, Math.floor(now() / 1000));
    const chart = findConsolePanel(id);
    if (!chart) throw new HttpProblem(problems.not_found, `No chart ${id}; GET /console/charts lists them`);
    // About 240 points whatever the span, never finer than the lab's 5 s scrape interval.
    const stepSeconds = Math.max(5, Math.round((end - start) / 240));
    res.setHeader('cache-control', 'no-store');
    res.json(await queryPanelRange(deps.prometheusFor(caller, team, chart.reads), chart.panel, { start, end, stepSeconds, team, reads: chart.reads }));
  });
  return router;
}
