import { z } from 'zod';
import { storableText } from '@firedrill/kit';
import {
  databaseLossSpec,
  errorsSpec,
  faultTeam,
  latencySpec,
  memoryLeakSpec,
  paymentFailuresSpec,
  poolLeakSpec,
  redisLossSpec,
  redisMemoryPressureSpec,
  releaseServices,
  retryAmplificationSpec,
  workerDeathSpec,
} from '../faults/catalogue.ts';
import { formatDuration, parseDuration } from '../faults/duration.ts';
import { agentServices } from '../shared/agent-protocol.ts';
import { defaultDurationMs, maxDurationMs } from './fault-registry.ts';

/**
 * What the controller's routes parse, in one place: the routes validate with these and the
 * OpenAPI document (openapi.ts) is built from them.
 */

/** Optional X-Firedrill-Actor: who to name in the journal. */
export const actorHeaders = z.object({
  'X-Firedrill-Actor': z
    .string()
    .regex(/^[\w.@:-]{1,64}$/)
    .optional()
    .describe('Who to name in the journal (default "instructor"): letters, digits, . @ : - _, at most 64'),
});

/** `for`: how long a fault lasts, "90s", "10m", "1h30m" or seconds; default 10m, at most 2h. Parsed to ms. */
const duration = z
  .union([z.string(), z.number()])
  .optional()
  .transform((value, ctx) => {
    if (value === undefined) return defaultDurationMs;
    const ms = parseDuration(value);
    if (ms === undefined || ms > maxDurationMs) {
      ctx.addIssue({
        code: 'custom',
        message: ms === undefined ? 'must be a duration such as "90s", "10m" or "1h"' : `must be at most ${formatDuration(maxDurationMs)}`,
      });
      return z.NEVER;
    }
    return ms;
  })
  .describe('How long the fault lasts: "90s", "10m", "1h30m" or a number of seconds; default 10m, at most 2h');

/** POST /api/faults: a fault's settings (see catalogue.ts) plus `for`. */
export const injectRequestSchema = z.discriminatedUnion('family', [
  latencySpec.extend({ for: duration }),
  errorsSpec.extend({ for: duration }),
  paymentFailuresSpec.extend({ for: duration }),
  databaseLossSpec.extend({ for: duration }),
  redisLossSpec.extend({ for: duration }),
  workerDeathSpec.extend({ for: duration }),
  poolLeakSpec.extend({ for: duration }),
  memoryLeakSpec.extend({ for: duration }),
  redisMemoryPressureSpec.extend({ for: duration }),
  retryAmplificationSpec.extend({ for: duration }),
]);

/** POST /api/faults/clear-release: the service that was redeployed. */
export const clearReleaseBody = z.strictObject({
  service: z.enum(releaseServices).describe('The service redeployed: every fault bound to any release of it is cleared'),
});

export const faultIdParams = z.object({ id: storableText().min(1).max(100) });

export const limitQuery = z.object({ limit: z.coerce.number().int().min(1).max(5000).default(200).describe('At most this many, newest first') });

/** An agent's poll: its service, and (from agents that report) its id and the fault-set version it applied. */
/** The longest an agent's poll is held: well inside the agent's dead man's switch (10 s). */
export const maxAgentPollWaitMs = 5_000;

export const agentQuery = z.object({
  service: z.enum(agentServices),
  team: faultTeam.describe("The agent's team, in a class: it gets only that team's faults"),
  agent: storableText().min(1).max(200).optional().describe('The agent, e.g. api@host:pid'),
  applied: z.coerce.number().int().optional().describe('The fault-set version this agent has applied'),
  waitMs: z.coerce
    .number()
    .int()
    .min(0)
    .max(maxAgentPollWaitMs)
    .optional()
    .describe('Hold the answer up to this long while the fault set is still the version `applied` (a long poll); answered at once on a change'),
});
