import { z } from 'zod';
import { runStates } from '../runs/run-store.ts';

/** GET /api/scoreboard: teams × runs with scores, best team first. No timelines: those are in each run's report. */
export const scoreboardSchema = z.object({
  teams: z.array(
    z.object({
      /** null: runs started without a team. */
      team: z.string().nullable(),
      best: z.number().nullable(),
      runs: z.array(
        z.object({
          runId: z.string(),
          scenario: z.string().nullable(),
          state: z.enum(runStates),
          endedAt: z.iso.datetime().nullable(),
          debriefed: z.boolean(),
          score: z.number().nullable(),
          /** Why there is no score yet. */
          pending: z.string().nullable(),
        }),
      ),
    }),
  ),
});
export type Scoreboard = z.output<typeof scoreboardSchema>;
