import { z } from 'zod';
import { storableText } from '@firedrill/kit';
import { flagNames } from '../flags/flag-catalogue.ts';
import { shopServices, versionSchema } from '../releases/release-history.ts';
import { teamNamePattern, teamNameRule } from '@firedrill/conventions';

/** The name a caller gives itself for the events (see identity.ts); the token decides the role. */
export const actorHeaders = z.object({
  'X-Firedrill-Actor': z
    .string()
    .regex(/^[A-Za-z0-9 ._@-]{1,64}$/)
    .optional()
    .describe('Who you are, recorded with your role in the events (e.g. "ada")'),
});

export const serviceParams = z.strictObject({ service: z.enum(shopServices) });

export const flagParams = z.strictObject({ name: z.enum(flagNames as [string, ...string[]]) });

const shopTeam = z
  .string()
  .regex(teamNamePattern, `must be ${teamNameRule}`)
  .optional()
  .describe("A class's team whose shop it is for (the instructor's and operator's choice; a trainee's is its own). A single lab has one shop and ignores it.");

export const flagBody = z.strictObject({
  value: z.union([z.boolean(), z.number()]).describe("boolean or whole number, as the flag's type says"),
  team: shopTeam,
});

export const deployBody = z.strictObject({ version: versionSchema, team: shopTeam });

export const leverBody = z.strictObject({
  lever: storableText().min(1).max(300).describe('A lever as scenario files write it: "rollback payments", "scale worker 3", "flag api.degraded-mode true"'),
  team: shopTeam,
});

/** The class's team whose shop a read or a lever is for (a trainee's: its own). */
export const teamQuery = z.strictObject({ team: shopTeam });

export const releasesQuery = z.strictObject({
  service: z.enum(shopServices).optional(),
  team: shopTeam,
  limit: z.coerce.number().int().min(1).max(500).default(50),
});

export const eventsQuery = z.strictObject({
  after: z.coerce.number().int().min(0).max(Number.MAX_SAFE_INTEGER).optional().describe('Only events with a greater id'),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
  kind: z
    .string()
    .regex(/^[a-z.]{1,40}$/)
    .optional(),
});

/** The longest a provider's poll is held: well inside its idea of the lab being unreachable. */
export const maxFlagsPollWaitMs = 5_000;
export const flagsQuery = z.object({
  since: z.coerce.number().int().min(0).optional().describe('The version the caller already has'),
  waitMs: z.coerce
    .number()
    .int()
    .min(0)
    .max(maxFlagsPollWaitMs)
    .optional()
    .describe('With `since`: hold the answer up to this long while the version is still `since` (a long poll); answered at once on a change'),
  team: shopTeam,
});
