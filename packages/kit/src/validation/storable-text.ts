import { z } from 'zod';

/**
 * Why Postgres would refuse to store `value` as text, or undefined when it can. Postgres text
 * cannot hold NUL (U+0000) at all, and a lone UTF-16 surrogate has no UTF-8 form: the driver
 * would silently store U+FFFD instead, so the value read back would not be the value sent.
 */
export function unstorableTextReason(value: string): string | undefined {
  if (value.includes('\u0000')) return 'must not contain NUL (\\u0000) characters';
  if (!value.isWellFormed()) return 'must not contain unpaired UTF-16 surrogates';
  return undefined;
}

/** The check itself, one instance: the OpenAPI builder recognises it on any schema that carries it. */
export const storableTextCheck = z.superRefine<string>((value, ctx) => {
  const reason = unstorableTextReason(value);
  if (reason) ctx.addIssue({ code: 'custom', message: reason });
});

/**
 * The part of the rule JSON Schema can say, for OpenAPI documents: no NUL. (A lone surrogate
 * cannot be written in UTF-8 JSON Schema tooling reads, so only the check refuses it.)
 */
export const storableTextPattern = '^[^\\u0000]*$';

/**
 * Adds the one check every string bound for Postgres needs to a string schema (z.string(),
 * z.email(), ...), so a hostile string is a 400 naming its field rather than a database error.
 */
export function storable<T extends z.ZodType<string>>(schema: T): T {
  return schema.check(storableTextCheck);
}

/** z.string() that Postgres can store; chain .min/.max/.regex as usual. */
export function storableText() {
  return storable(z.string());
}
