import { z } from 'zod';
import { storableText } from '@firedrill/kit';

/** The longest command line a `shell.command` event keeps (bytes of UTF-8); longer ones are refused. */
export const shellCommandBytes = 2048;

/**
 * What a trainee's shell posts for each command line it ran (POST /api/shell/commands), and what
 * the `shell.command` event holds besides the trainee: the line as typed, where it ran and how it
 * ended. The time is the lab's, stamped when the event is recorded; a client never sends one.
 */
export const shellCommandBody = z.strictObject({
  command: storableText()
    .trim()
    .min(1, 'must not be empty')
    .refine((text) => Buffer.byteLength(text) <= shellCommandBytes, `must be at most ${shellCommandBytes} bytes`)
    .describe('The command line as the trainee typed it'),
  cwd: storableText().max(512).default('').describe('The working directory it ran in'),
  exitStatus: z.number().int().min(0).max(255).describe("The command's exit status ($?)"),
});
export type ShellCommandRecord = z.output<typeof shellCommandBody>;
