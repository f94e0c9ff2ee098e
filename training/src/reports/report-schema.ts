import { z } from 'zod';
import { gradeSchema } from '../grading/grade-schema.ts';

/**
 * The run report's JSON contract, version 1 (docs/reports.md). The Markdown and HTML reports are
 * renderings of exactly this object, so what a trainee reads on the page is what a script reads
 * in the JSON. A field is only ever added within a version; renaming or removing one is version 2.
 */
export const reportVersion = 1;

export const timelineEntrySchema = z.object({
  id: z.number().int(),
  at: z.iso.datetime(),
  /** Who or what recorded it: a trainee, the scenario, Alertmanager, the probes, the instructor. */
  source: z.string(),
  kind: z.string(),
  summary: z.string(),
  visibility: z.enum(['everyone', 'instructor']),
});
export type TimelineEntry = z.output<typeof timelineEntrySchema>;

export const sliSeriesSchema = z.object({
  name: z.enum(['errorRatio', 'p95Ms']),
  label: z.string(),
  unit: z.string(),
  /** [unix ms, value] pairs, oldest first. */
  points: z.array(z.tuple([z.number(), z.number()])),
});
export type SliSeries = z.output<typeof sliSeriesSchema>;

export const sliChartSchema = z.object({
  from: z.iso.datetime(),
  to: z.iso.datetime(),
  series: z.array(sliSeriesSchema),
  /** Why there is no data (Prometheus away, a run too short), or null. */
  unavailable: z.string().nullable(),
});
export type SliChart = z.output<typeof sliChartSchema>;

export const reportSchema = z.object({
  reportVersion: z.literal(reportVersion),
  run: z.object({
    id: z.string(),
    /** null for trainees in a blind run until the debrief. */
    scenario: z.string().nullable(),
    title: z.string().nullable(),
    team: z.string().nullable(),
    state: z.string(),
    reason: z.string().nullable(),
    seed: z.number().int(),
    speed: z.number(),
    blind: z.boolean(),
    createdAt: z.iso.datetime(),
    liveAt: z.iso.datetime().nullable(),
    endedAt: z.iso.datetime().nullable(),
    debriefedAt: z.iso.datetime().nullable(),
  }),
  viewer: z.object({
    role: z.string(),
    /** Whether instructor-only events (faults, causes) are in the timeline: the instructor's, or anyone's after the debrief. */
    seesEverything: z.boolean(),
  }),
  /** null while withheld (a trainee before the debrief) or for a scenario without an answer key. */
  grade: gradeSchema.nullable(),
  gradeWithheld: z.string().nullable(),
  answer: z.object({ severity: z.string(), category: z.string(), rootCause: z.string() }).nullable(),
  timeline: z.array(timelineEntrySchema),
  chart: sliChartSchema,
});
export type RunReport = z.output<typeof reportSchema>;
