import { z } from 'zod';
import { idempotencyKeySchema, storableText } from '@firedrill/kit';
import { causeCategories, incidentRoles, severities, updateKinds } from './incident-events.ts';

/** Text a trainee writes: at most 4 kB in UTF-8 (the app's body limit is 8 kB for the whole request). */
const maxTextBytes = 4096;
const text = (what: string) =>
  storableText()
    .trim()
    .min(1, `${what} must not be empty`)
    .refine((value) => Buffer.byteLength(value, 'utf8') <= maxTextBytes, `${what} must be at most ${maxTextBytes} bytes (4 kB)`);
const shortText = (max: number) => storableText().trim().min(1, 'must not be empty').max(max);

/** The headers of every incident and hint write: the actor's name and the key that makes a replay harmless. */
export const commandHeaders = z.object({
  'Idempotency-Key': idempotencyKeySchema.describe('A new key per command (the CLI sends one per invocation); the same key again replays the first answer'),
  'X-Firedrill-Actor': z
    .string()
    .regex(/^[A-Za-z0-9 ._@-]{1,64}$/)
    .optional()
    .describe('Who you are, recorded with your role in the events (e.g. "ada")'),
});

export const severity = z.enum(severities).describe('P0 (worst) to P3, by the curriculum rubric');

export const declareBody = z.strictObject({ title: shortText(200).describe('What is wrong, as customers feel it'), severity });
export const severityBody = z.strictObject({ severity, reason: shortText(500).describe('Why the severity changes') });
export const roleBody = z.strictObject({
  role: z.enum(incidentRoles).describe('ic (incident commander), ops, comms or scribe'),
  trainee: z
    .string()
    .regex(/^[A-Za-z0-9._-]{1,64}$/, 'must be a trainee name: 1 to 64 letters, digits or ._-')
    .describe('A trainee of the team'),
});
export const updateBody = z.strictObject({
  kind: z.enum(updateKinds).describe('Which template the update follows: ack, update or resolution'),
  text: text('text').describe('The update as posted (at most 4 kB)'),
  impact: shortText(500).optional().describe('What customers feel now (the communication grade looks for it)'),
  nextUpdateMinutes: z.number().int().min(1).max(240).optional().describe('When the next update comes, in minutes'),
});
export const noteBody = z.strictObject({ text: text('text').describe('A note for the timeline (at most 4 kB)') });
export const resolveBody = z.strictObject({
  category: z.enum(causeCategories).optional().describe('The root-cause category, as the team names it'),
  summary: shortText(2000).optional().describe('What happened and what fixed it, in a sentence or two'),
});
/** The body of commands that carry none (ack, mitigated, hints/next): absent or `{}`. */
export const emptyBody = z.strictObject({});
