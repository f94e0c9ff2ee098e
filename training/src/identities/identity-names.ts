import { z } from 'zod';

/** A team's or a trainee's name; the same rule as the CHECK in migrations/0003-teams-trainees.sql. */
export const identityNamePattern = /^[a-z0-9][a-z0-9-]{0,31}$/;

export const identityNameRule = '1 to 32 lower-case letters, digits or dashes, starting with a letter or digit';

export const identityName = z.string().regex(identityNamePattern, `must be ${identityNameRule}`);
