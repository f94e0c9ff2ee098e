/**
 * Every error a client can see, in one catalogue. Clients branch on `code`, which never changes
 * once published; `title` is for humans. Bodies follow RFC 9457 (application/problem+json).
 */
export const problems = {
  validation_failed: { status: 400, title: 'The request is invalid' },
  malformed_json: { status: 400, title: 'The request body is not valid JSON' },
  idempotency_key_required: { status: 400, title: 'An Idempotency-Key header is required' },
  unauthorized: { status: 401, title: 'Authentication is required' },
  forbidden: { status: 403, title: 'Not allowed' },
  not_found: { status: 404, title: 'Not found' },
  route_not_found: { status: 404, title: 'No such endpoint' },
  method_not_allowed: { status: 405, title: 'Method not allowed' },
  idempotency_key_reused: { status: 422, title: 'This Idempotency-Key was used for a different request' },
  unknown_product: { status: 422, title: 'The order names a product that does not exist' },
  request_in_progress: { status: 409, title: 'A request with this Idempotency-Key is still being processed' },
  conflict: { status: 409, title: 'Conflict' },
  payload_too_large: { status: 413, title: 'The request body is too large' },
  unsupported_media_type: { status: 415, title: 'The request body must be application/json' },
  payments_unavailable: { status: 503, title: 'The payment service is unavailable; retry with the same Idempotency-Key' },
  dependency_unavailable: { status: 503, title: 'A dependency is unavailable; retry shortly' },
  gateway_error: { status: 502, title: 'The card network did not complete the charge; retry with the same Idempotency-Key' },
  internal_error: { status: 500, title: 'Internal error' },
} as const satisfies Record<string, { status: number; title: string }>;

export type ProblemCode = keyof typeof problems;

export interface FieldError {
  /** Dotted path of the offending field, e.g. `items.0.quantity`, or a header name. */
  field: string;
  message: string;
}

export interface ProblemBody {
  type: string;
  title: string;
  status: number;
  code: ProblemCode;
  detail?: string;
  errors?: FieldError[];
  [extension: string]: unknown;
}

/** An operational error that the central handler turns into a problem+json answer. */
export class HttpProblem extends Error {
  readonly code: ProblemCode;
  readonly status: number;
  readonly detail: string | undefined;
  readonly errors: FieldError[] | undefined;
  readonly extensions: Record<string, unknown>;

  constructor(
    code: ProblemCode,
    detail?: string,
    options: { errors?: FieldError[]; extensions?: Record<string, unknown>; cause?: unknown } = {},
  ) {
    super(detail ?? problems[code].title, { cause: options.cause });
    this.name = 'HttpProblem';
    this.code = code;
    this.status = problems[code].status;
    this.detail = detail;
    this.errors = options.errors;
    this.extensions = options.extensions ?? {};
  }

  toBody(): ProblemBody {
    return {
      type: `https://firedrill.dev/problems/${this.code.replaceAll('_', '-')}`,
      title: problems[this.code].title,
      status: this.status,
      code: this.code,
      ...(this.detail !== undefined && { detail: this.detail }),
      ...(this.errors !== undefined && { errors: this.errors }),
      ...this.extensions,
    };
  }
}
