/**
 * Problem types: every error a client can see. Clients branch on `code`, which never changes once
 * published; `title` is for humans. Bodies follow RFC 9457 (application/problem+json).
 *
 * The kit holds only the generic types any HTTP service has. A service adds its own with
 * `defineProblems` (e.g. the api's `unknown_product`) and maps its domain errors to them in its
 * routes; the kit knows nothing of the shop.
 */
export interface ProblemType {
  code: string;
  status: number;
  title: string;
}

type ProblemTypes<T> = { readonly [K in keyof T & string]: ProblemType & { readonly code: K } };

/** Names each definition with its key, so a code is written once. */
export function defineProblems<const T extends Record<string, { status: number; title: string }>>(definitions: T): ProblemTypes<T> {
  return Object.freeze(Object.fromEntries(Object.entries(definitions).map(([code, def]) => [code, Object.freeze({ code, ...def })]))) as ProblemTypes<T>;
}

export const problems = defineProblems({
  validation_failed: { status: 400, title: 'The request is invalid' },
  malformed_json: { status: 400, title: 'The request body is not valid JSON' },
  idempotency_key_required: { status: 400, title: 'An Idempotency-Key header is required' },
  unauthorized: { status: 401, title: 'Authentication is required' },
  forbidden: { status: 403, title: 'Not allowed' },
  not_found: { status: 404, title: 'Not found' },
  route_not_found: { status: 404, title: 'No such endpoint' },
  method_not_allowed: { status: 405, title: 'Method not allowed' },
  idempotency_key_reused: { status: 422, title: 'This Idempotency-Key was used for a different request' },
  request_in_progress: { status: 409, title: 'A request with this Idempotency-Key is still being processed' },
  conflict: { status: 409, title: 'Conflict' },
  payload_too_large: { status: 413, title: 'The request body is too large' },
  unsupported_media_type: { status: 415, title: 'The request body must be application/json' },
  dependency_unavailable: { status: 503, title: 'A dependency is unavailable; retry shortly' },
  internal_error: { status: 500, title: 'Internal error' },
});

export interface FieldError {
  /** Dotted path of the offending field, e.g. `items.0.quantity`, or a header name. */
  field: string;
  message: string;
}

export interface ProblemBody {
  type: string;
  title: string;
  status: number;
  code: string;
  detail?: string;
  errors?: FieldError[];
  [extension: string]: unknown;
}

/** An operational error that the central handler turns into a problem+json answer. */
export class HttpProblem extends Error {
  readonly type: ProblemType;
  readonly detail: string | undefined;
  readonly errors: FieldError[] | undefined;
  readonly extensions: Record<string, unknown>;

  constructor(type: ProblemType, detail?: string, options: { errors?: FieldError[]; extensions?: Record<string, unknown>; cause?: unknown } = {}) {
    super(detail ?? type.title, { cause: options.cause });
    this.name = 'HttpProblem';
    this.type = type;
    this.detail = detail;
    this.errors = options.errors;
    this.extensions = options.extensions ?? {};
  }

  get code(): string {
    return this.type.code;
  }

  get status(): number {
    return this.type.status;
  }

  toBody(): ProblemBody {
    return {
      type: `https://firedrill.dev/problems/${this.type.code.replaceAll('_', '-')}`,
      title: this.type.title,
      status: this.type.status,
      code: this.type.code,
      ...(this.detail !== undefined && { detail: this.detail }),
      ...(this.errors !== undefined && { errors: this.errors }),
      ...this.extensions,
    };
  }
}
