/** A key seen before with a different request. Domain code throws it; the kit answers 422. */
export class IdempotencyKeyReusedError extends Error {
  override name = 'IdempotencyKeyReusedError';
  /** What the client may need to find the first request (e.g. its order id). */
  readonly extensions: Record<string, unknown>;
  constructor(message: string, extensions: Record<string, unknown> = {}) {
    super(message);
    this.extensions = extensions;
  }
}

/** The first request with this key is still being worked on. Domain code throws it; the kit answers 409. */
export class RequestInProgressError extends Error {
  override name = 'RequestInProgressError';
}
