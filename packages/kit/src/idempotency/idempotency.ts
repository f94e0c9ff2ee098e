import { createHash } from 'node:crypto';
import type { Request } from 'express';
import { parseOrThrow } from '../errors/error-handler.ts';
import { HttpProblem, problems } from '../errors/problems.ts';
import { storableText } from '../validation/storable-text.ts';

/**
 * Idempotency keys, the same way in every service: a write carries an `Idempotency-Key` header;
 * the same key with the same request replays the first answer; the same key with a different
 * request is refused (422), and one still being worked on answers 409.
 */
export const idempotencyKeySchema = storableText().min(1, 'must not be empty').max(200, 'must be at most 200 characters');

/** The request's Idempotency-Key, or a 400 that says how to send one (`why`: what it protects). */
export function requireIdempotencyKey(req: Request, why: string): string {
  const key = req.get('idempotency-key');
  if (key === undefined) {
    throw new HttpProblem(problems.idempotency_key_required, `Send an Idempotency-Key header (1–200 characters) ${why}`, {
      errors: [{ field: 'Idempotency-Key', message: 'Required' }],
    });
  }
  return parseOrThrow(idempotencyKeySchema, key, 'Idempotency-Key');
}

/**
 * Fingerprint of a validated request, to tell "the same request again" (replay the answer) from
 * "a different request under a reused key" (refuse). Object keys are sorted, so the order in which
 * a client wrote its JSON does not matter; callers normalise what else should not (case, order).
 */
export function requestFingerprint(value: unknown): string {
  return createHash('sha256').update(canonicalJson(value)).digest('hex');
}

export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}
