export { canonicalJson, idempotencyKeySchema, requestFingerprint, requireIdempotencyKey } from './idempotency.ts';
export { IdempotencyKeyReusedError, RequestInProgressError } from './idempotency-errors.ts';
