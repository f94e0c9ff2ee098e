import type { ErrorRequestHandler, RequestHandler, Response } from 'express';
import { z } from 'zod';
import { HttpProblem, problems, type FieldError } from './problems.ts';
import type { Logger } from '../logger/index.ts';
import { isConnectionError } from '../db/create-pool.ts';
import { isDataException } from '../db/data-exception.ts';
import { IdempotencyKeyReusedError, RequestInProgressError } from '../idempotency/idempotency-errors.ts';

/**
 * A service's own domain errors → its problem types (`undefined`: not one of ours). Domain code
 * throws domain errors; the service's routes layer says what each means over HTTP.
 */
export type DomainErrorMapper = (err: unknown) => HttpProblem | undefined;

export function sendProblem(res: Response, problem: HttpProblem): void {
  res.status(problem.status).type('application/problem+json').json(problem.toBody());
}

/** Field errors from a zod failure, with paths a client can point at. */
export function fieldErrors(error: z.ZodError, prefix = ''): FieldError[] {
  const fieldName = (path: readonly PropertyKey[]) => [prefix, ...path.map(String)].filter(Boolean).join('.') || '(body)';
  return error.issues.flatMap((issue) =>
    // A strict object's unknown keys are named one by one, each at its own path.
    issue.code === 'unrecognized_keys'
      ? issue.keys.map((key) => ({ field: fieldName([...issue.path, key]), message: 'Unknown field' }))
      : [{ field: fieldName(issue.path), message: issue.message }],
  );
}

/** Parses `value` with `schema`, or throws a 400 validation_failed naming every bad field. */
export function parseOrThrow<S extends z.ZodType>(schema: S, value: unknown, prefix = ''): z.output<S> {
  const result = schema.safeParse(value);
  if (!result.success) {
    const errors = fieldErrors(result.error, prefix);
    const detail = errors.map((e) => `${e.field}: ${e.message}`).join('; ');
    throw new HttpProblem(problems.validation_failed, detail, { errors });
  }
  return result.data;
}

export const routeNotFound: RequestHandler = (req, _res, next) => {
  next(new HttpProblem(problems.route_not_found, `${req.method} ${req.path} is not an endpoint of this service`));
};

/**
 * The one place errors become HTTP answers. Operational errors (HttpProblem, body-parser
 * rejections, a database that cannot be reached) are answered with their code; anything else is
 * a bug: it is logged with its stack and answered 500 without internals.
 */
export function errorHandler(logger: Logger, mapDomainError: DomainErrorMapper = () => undefined): ErrorRequestHandler {
  return (err, req, res, next) => {
    if (res.headersSent) return next(err);
    const problem = mapDomainError(err) ?? toProblem(err);
    if (problem.code === 'dependency_unavailable' && !(err instanceof HttpProblem)) {
      logger.warn(
        { err: { message: (err as Error).message, code: (err as { code?: string }).code }, method: req.method, url: req.originalUrl },
        'database unavailable',
      );
    } else if (isDataException(err)) {
      // The request was refused, but a schema let through a value Postgres cannot take: worth fixing there.
      logger.warn(
        { err: { message: err.message, code: err.code }, method: req.method, url: req.originalUrl },
        'database refused a value the request validation let through',
      );
    } else if (problem.status >= 500) {
      logger.error({ err, method: req.method, url: req.originalUrl, code: problem.code }, 'request failed');
    }
    sendProblem(res, problem);
  };
}

function toProblem(err: unknown): HttpProblem {
  if (err instanceof HttpProblem) return err;
  // body-parser marks its errors with `type` and `status`.
  const e = err as { type?: string; status?: number; limit?: number; message?: string };
  switch (e?.type) {
    case 'entity.parse.failed': {
      const detail = `Could not parse the body as JSON: ${e.message ?? ''}`.trim();
      return new HttpProblem(problems.malformed_json, detail, { errors: [{ field: '(body)', message: detail }] });
    }
    case 'entity.too.large': {
      const detail = `The body is larger than the ${e.limit ?? ''} byte limit`.replace('  ', ' ');
      return new HttpProblem(problems.payload_too_large, detail, { errors: [{ field: '(body)', message: detail }] });
    }
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return new HttpProblem(problems.unsupported_media_type, e.message, { errors: [{ field: 'Content-Type', message: e.message ?? 'unsupported' }] });
  }
  // Losing the database is an outage to report (503, retry shortly), not a bug (500).
  if (isConnectionError(err)) {
    return new HttpProblem(problems.dependency_unavailable, 'The database cannot be reached; retry shortly (with the same Idempotency-Key, for writes)', {
      cause: err,
    });
  }
  if (err instanceof IdempotencyKeyReusedError) {
    return new HttpProblem(problems.idempotency_key_reused, err.message, { extensions: err.extensions, cause: err });
  }
  if (err instanceof RequestInProgressError) return new HttpProblem(problems.request_in_progress, err.message, { cause: err });
  // Postgres refusing a value (SQLSTATE class 22: NUL in text, a number out of range, ...) is
  // the client's bad input that validation missed, not an outage or a bug to answer with 500.
  if (isDataException(err)) {
    const detail = 'A value in the request cannot be stored';
    return new HttpProblem(problems.validation_failed, detail, { errors: [{ field: '(request)', message: detail }], cause: err });
  }
  // The router could not percent-decode a path parameter (e.g. /orders/%E0%A4%A).
  if (err instanceof URIError) {
    const detail = 'The path is not validly percent-encoded';
    return new HttpProblem(problems.validation_failed, detail, { errors: [{ field: '(path)', message: detail }] });
  }
  if (err instanceof z.ZodError) {
    return new HttpProblem(problems.validation_failed, undefined, { errors: fieldErrors(err) });
  }
  return new HttpProblem(problems.internal_error, undefined, { cause: err });
}
