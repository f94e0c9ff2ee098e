import { z } from 'zod';
import { storableText } from '@firedrill/kit';
import { runbookNamePattern } from './runbook-schema.ts';

/**
 * What a `runbook.step` event holds, the body of POST /api/runbooks/steps: the runner posts one
 * for each change of a step's status, and the server stamps the time.
 */
export const runbookStepStatuses = ['started', 'passed', 'failed', 'rolled-back', 'skipped'] as const;
export type RunbookStepStatus = (typeof runbookStepStatuses)[number];

/** The most output a step event keeps (bytes of UTF-8). */
export const outputExcerptBytes = 2048;

export const runbookStepBody = z.strictObject({
  runbook: z
    .string()
    .regex(runbookNamePattern, 'must be a runbook name: lower-case letters, digits and dashes')
    .describe('The runbook (its file name without .runbook.yaml)'),
  step: storableText().trim().min(1, 'must not be empty').max(80).describe("The step's name"),
  status: z.enum(runbookStepStatuses),
  output: storableText()
    .refine((text) => Buffer.byteLength(text) <= outputExcerptBytes, `must be at most ${outputExcerptBytes} bytes`)
    .default('')
    .describe(`What the step printed or saw, at most ${outputExcerptBytes} bytes (the end of it, where errors are)`),
});
export type RunbookStepRecord = z.output<typeof runbookStepBody>;

/**
 * The end of `text` within `maxBytes` of UTF-8, marked "…" when cut: the last lines are where a
 * command says what went wrong. Never cuts a character in half.
 */
export function outputExcerpt(text: string, maxBytes = outputExcerptBytes): string {
  const trimmed = text.toWellFormed().replaceAll('\u0000', '').trimEnd();
  if (Buffer.byteLength(trimmed) <= maxBytes) return trimmed;
  const marker = '…';
  const budget = maxBytes - Buffer.byteLength(marker);
  const chars = Array.from(trimmed);
  let bytes = 0;
  let start = chars.length;
  while (start > 0) {
    const size = Buffer.byteLength(chars[start - 1]!);
    if (bytes + size > budget) break;
    bytes += size;
    start -= 1;
  }
  return marker + chars.slice(start).join('');
}
