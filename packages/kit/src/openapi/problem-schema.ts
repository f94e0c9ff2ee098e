import { z } from 'zod';
import { problems } from '../errors/index.ts';

/** The problem+json body every error answer has (RFC 9457, see errors/problems.ts). */
export const problemBodySchema = z.looseObject({
  type: z.string(),
  title: z.string(),
  status: z.number().int(),
  code: z.string(),
  detail: z.string().optional(),
  /** Each offending field (dotted path, header name, or `(body)`) and what is wrong with it. */
  errors: z.array(z.object({ field: z.string(), message: z.string() })).optional(),
});

/** What the kit's jsonBody() and parseOrThrow() may answer to any operation that takes a JSON body. */
export const jsonBodyProblems = [problems.validation_failed, problems.malformed_json, problems.payload_too_large, problems.unsupported_media_type];
