import type { RequestHandler } from 'express';
import { z } from 'zod';
import { parseOrThrow, problems, type OperationSpec, type ProblemType } from '@firedrill/kit';
import { callerOf, type Role } from '../ops/identity.ts';
import { runParams } from '../runs/run-routes.ts';
import { runSchema } from '../runs/runs-contract.ts';
import { runView } from '../runs/run-view.ts';
import { trainingProblems } from '../server/training-problems.ts';
import { reportHtml } from './report-html.ts';
import { reportMarkdown } from './report-markdown.ts';
import { reportSchema } from './report-schema.ts';
import type { ReportService } from './report-service.ts';
import { scoreboardSchema } from './scoreboard-schema.ts';

export interface ReportRouteDeps {
  reports: ReportService;
}

/** One route of the reports API, declared as run-routes.ts and ops-routes.ts declare theirs. */
export interface ReportRoute {
  spec: Omit<OperationSpec, 'security'>;
  roles: readonly Role[];
  handler: (deps: ReportRouteDeps) => RequestHandler;
}

export const reportQuery = z.strictObject({
  format: z.enum(['json', 'md', 'html']).default('json').describe('json (the contract, reportVersion 1), md (Markdown) or html (one self-contained page)'),
});

const authProblems: readonly ProblemType[] = [problems.unauthorized, problems.forbidden];

/** Reports, the debrief and the scoreboard (issue 10 section 3). */
export const reportRoutes: readonly ReportRoute[] = [
  {
    spec: {
      method: 'get',
      path: '/api/runs/{id}/report',
      summary: "A run's report: grade with every figure and deduction, timeline with sources, SLI chart",
      description:
        "A trainee reads its own team's runs; until the debrief it sees neither instructor-only events nor the grade and answer key. " +
        'format=md answers text/markdown, format=html one self-contained text/html page (no network needed).',
      params: runParams,
      query: reportQuery,
      responses: { 200: { description: 'The report (format=json)', schema: reportSchema } },
      problems: [...authProblems, problems.not_found],
    },
    roles: ['instructor', 'operator', 'trainee'],
    handler: (deps) => async (req, res) => {
      const { id } = parseOrThrow(runParams, req.params);
      const { format } = parseOrThrow(reportQuery, req.query);
      const report = await deps.reports.report(id, callerOf(req, res));
      if (format === 'md') res.type('text/markdown; charset=utf-8').send(reportMarkdown(report));
      else if (format === 'html') res.type('text/html; charset=utf-8').send(reportHtml(report));
      else res.json(report);
    },
  },
  {
    spec: {
      method: 'post',
      path: '/api/runs/{id}/debrief',
      summary: 'Hold the debrief of a finished run: from now on its trainees see all of it (instructor-only events, answer key, grade)',
      params: runParams,
      responses: { 200: { description: 'The run', schema: runSchema.extend({ debriefedAt: z.iso.datetime() }) } },
      problems: [...authProblems, problems.not_found, trainingProblems.run_not_finished],
    },
    roles: ['instructor'],
    handler: (deps) => async (req, res) => {
      const { id } = parseOrThrow(runParams, req.params);
      const run = await deps.reports.debrief(id, callerOf(req, res).actor);
      res.json({ ...runView(run, 'instructor', null), debriefedAt: run.debriefedAt });
    },
  },
  {
    spec: {
      method: 'get',
      path: '/api/scoreboard',
      summary: "The class's scoreboard: teams × runs with scores (a trainee sees a run's score once it is debriefed)",
      responses: { 200: { description: 'The scoreboard', schema: scoreboardSchema } },
      problems: authProblems,
    },
    roles: ['instructor', 'operator', 'trainee'],
    handler: (deps) => async (req, res) => {
      res.json(await deps.reports.scoreboard(callerOf(req, res)));
    },
  },
];
