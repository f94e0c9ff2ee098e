import { z } from 'zod';
import { runStates } from './run-store.ts';

/**
 * What the runs API answers, once: the routes document and serve these shapes, and the lab CLI
 * (lab/src/runs) reads them through the inferred types, so the two cannot drift apart.
 */

export { runStates };
export type { RunState } from './run-store.ts';

export const runSchema = z.object({
  id: z.string(),
  scenario: z.string().nullable(),
  title: z.string().nullable(),
  state: z.enum(runStates),
  reason: z.string().nullable(),
  seed: z.number().int(),
  speed: z.number(),
  blind: z.boolean(),
  team: z.string().nullable().describe('The team the run is for; null: no team in particular'),
  createdAt: z.iso.datetime(),
  liveAt: z.iso.datetime().nullable(),
  endedAt: z.iso.datetime().nullable(),
  briefing: z.string().nullable(),
});
export const eventSchema = z.object({
  id: z.number().int(),
  at: z.iso.datetime(),
  runId: z.string().nullable(),
  team: z.string().nullable(),
  actor: z.string(),
  kind: z.string(),
  data: z.record(z.string(), z.unknown()),
  visibility: z.enum(['everyone', 'instructor']),
});
export const scenarioSummarySchema = z.object({
  id: z.string(),
  title: z.string(),
  curriculum: z.string(),
  difficulty: z.number().int(),
  timeboxMs: z.number().int(),
});
export const statusSchema = z.object({
  id: z.string(),
  state: z.enum(runStates),
  phase: z
    .string()
    .describe(
      'warming, steady (nothing broken yet), incident, recovering (every cause ended, waiting for stability), ended; "live" for operators in blind runs',
    ),
  elapsedMs: z.number().int(),
  /** null until the run is live. */
  liveForMs: z.number().int().nullable(),
  timeboxMs: z.number().int().nullable(),
  signals: z.object({ checkoutRate: z.number().nullable(), errorRatio: z.number().nullable(), p95Ms: z.number().nullable() }),
  firingAlerts: z.array(z.string()),
  levers: z.array(z.object({ at: z.iso.datetime(), actor: z.string(), lever: z.string() })),
  probes: z.array(z.object({ name: z.string(), passing: z.boolean() })),
  holdingForMs: z.number().int(),
  pausedAt: z.iso
    .datetime()
    .nullable()
    .describe("When the instructor paused the run's timeline (no scheduled step fires, the timebox stands still); null: not paused"),
});
/** POST /api/runs/{id}/extend: more time in the run's timebox. */
export const extendRunSchema = z.object({ minutes: z.number().int().min(1).max(30) });
/** The data of run.paused / run.resumed / run.extended events. */
export const runPausedData = z.object({ elapsedMs: z.number().int() });
export const runResumedData = z.object({ pausedForMs: z.number().int() });
export const runExtendedData = z.object({ minutes: z.number().int(), timeboxMs: z.number().int() });

export type Run = z.output<typeof runSchema>;
export type RunEvent = z.output<typeof eventSchema>;
export type RunStatus = z.output<typeof statusSchema>;
export type ExtendRun = z.input<typeof extendRunSchema>;
export type ScenarioSummary = z.output<typeof scenarioSummarySchema>;
