import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { parseOrThrow } from '../errors/index.ts';
import { HttpProblem } from '../errors/problems.ts';
import { storable, storableText, unstorableTextReason } from './storable-text.ts';

function refusal(schema: z.ZodType, value: unknown): HttpProblem {
  try {
    parseOrThrow(schema, value);
  } catch (err) {
    if (err instanceof HttpProblem) return err;
    throw err;
  }
  throw new Error(`${JSON.stringify(value)} was accepted`);
}

describe('storable text', () => {
  it.each([
    ['NUL', 'a\u0000b', 'NUL'],
    ['a lone high surrogate', 'a\ud800b', 'surrogate'],
    ['a lone low surrogate', '\udc00', 'surrogate'],
    ['a surrogate pair reversed', '\udc00\ud800', 'surrogate'],
  ])('when a string holds %s, then it is refused with a reason', (_name, value, reason) => {
    expect(unstorableTextReason(value)).toContain(reason);
  });

  it.each([
    ['plain ASCII', 'espresso-beans-1kg'],
    ['an emoji (a proper surrogate pair)', 'café ☕ 😀'],
    ['empty', ''],
    ['control characters other than NUL', '\t\u0001\u007f'],
  ])('when a string is %s, then it is storable', (_name, value) => {
    expect(unstorableTextReason(value)).toBeUndefined();
  });

  it('when a field of an object is unstorable, then 400 validation_failed names that field', () => {
    const schema = z.object({ order: z.object({ note: storableText().max(10) }) });
    const problem = refusal(schema, { order: { note: 'x\u0000' } });
    expect(problem.code).toBe('validation_failed');
    expect(problem.errors).toEqual([{ field: 'order.note', message: 'must not contain NUL (\\u0000) characters' }]);
  });

  it('when the check is added to another string schema, then both its own rules and the check apply', () => {
    const email = storable(z.email().max(254));
    expect(email.parse('ada@example.com')).toBe('ada@example.com');
    expect(refusal(email, 'not-an-email').errors?.[0]?.message).not.toContain('surrogate');
    expect(refusal(z.object({ email }), { email: 'ada\ud800@example.com' }).errors?.map((e) => e.field)).toContain('email');
  });

  it('when min/max are chained after it, then the check is kept', () => {
    expect(() => storableText().min(1).max(5).parse('a\u0000')).toThrow(/NUL/);
  });
});
