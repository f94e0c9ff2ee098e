import { z } from 'zod';
import { problems, type ProblemType } from '../errors/index.ts';
import { storableTextCheck, storableTextPattern } from '../validation/index.ts';
import { problemBodySchema } from './problem-schema.ts';

type JsonSchema = Record<string, unknown>;

export type HttpMethod = 'get' | 'post' | 'put' | 'patch' | 'delete';

export interface ResponseSpec {
  description: string;
  /** The body; absent for an empty answer. */
  schema?: z.ZodType;
  /** Default application/json. */
  contentType?: string;
  headers?: Record<string, { description: string; schema: z.ZodType }>;
}

/**
 * One operation, described by the very zod schemas its handler parses with, so the document
 * cannot drift from what the service accepts.
 */
export interface OperationSpec {
  method: HttpMethod;
  /** OpenAPI path template: `/api/orders/{id}`. */
  path: string;
  summary: string;
  description?: string;
  /** Path parameters, one property each. */
  params?: z.ZodObject;
  query?: z.ZodObject;
  /** Request headers, one property each, named as sent (`Idempotency-Key`). */
  headers?: z.ZodObject;
  /** A JSON request body (always required when given). */
  body?: z.ZodType;
  responses: Record<number, ResponseSpec>;
  /**
   * The problem+json errors it answers with, by code; grouped by status in the document.
   * validation_failed is implied by params, query, headers or a body.
   */
  problems?: readonly ProblemType[];
  /** Headers some problem answers carry, by status (e.g. Retry-After on a 503). */
  problemHeaders?: Record<number, NonNullable<ResponseSpec['headers']>>;
  /** Security requirement names; `[]` for an open operation of a document with default security. */
  security?: string[];
}

export interface DocumentSpec {
  title: string;
  version: string;
  description: string;
  operations: readonly OperationSpec[];
  /** Component security schemes and the default requirement (none: the API is open). */
  securitySchemes?: Record<string, JsonSchema>;
  security?: string[];
}

/** JSON Schema of a zod schema, as a request carries it (`input`) or a response (`output`). */
export function jsonSchemaOf(schema: z.ZodType, io: 'input' | 'output'): JsonSchema {
  // Refinements (e.g. storable text) cannot be written in JSON Schema and are left out; the
  // document lists the 400 they produce instead.
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, {
    target: 'draft-2020-12',
    io,
    unrepresentable: 'any',
    // zod spells formats (email, uuid, date-time) out as a pattern too; the format alone says it,
    // and generators (schemathesis) make far more varied requests without the pattern to satisfy.
    override: ({ zodSchema, jsonSchema }) => {
      if (jsonSchema.format !== undefined) delete jsonSchema.pattern;
      // Say that storable text refuses NUL, so fuzzers send it on purpose (and find any field without the check).
      if (zodSchema._zod.def.checks?.includes(storableTextCheck as never)) {
        if (jsonSchema.pattern === undefined) jsonSchema.pattern = storableTextPattern;
        else jsonSchema.allOf = [...(jsonSchema.allOf ?? []), { pattern: storableTextPattern }];
      }
    },
  }) as JsonSchema;
  return rest;
}

function parameters(location: 'path' | 'query' | 'header', object: z.ZodObject | undefined) {
  if (!object) return [];
  const schema = jsonSchemaOf(object, 'input') as { properties?: Record<string, JsonSchema>; required?: string[] };
  return Object.entries(schema.properties ?? {}).map(([name, { description, ...property }]) => ({
    name,
    in: location,
    required: location === 'path' || (schema.required ?? []).includes(name),
    ...(description !== undefined && { description }),
    schema: property,
  }));
}

/** Problem responses grouped by status, each listing its codes and constraining `code` to them. */
export function problemResponses(types: readonly ProblemType[]): Record<string, unknown> {
  const byStatus = new Map<number, ProblemType[]>();
  for (const type of new Set(types)) byStatus.set(type.status, [...(byStatus.get(type.status) ?? []), type]);
  return Object.fromEntries(
    [...byStatus].map(([status, group]) => [
      String(status),
      {
        description: group.map((type) => `\`${type.code}\`: ${type.title}`).join('; '),
        content: {
          'application/problem+json': {
            schema: {
              ...jsonSchemaOf(problemBodySchema, 'output'),
              properties: { ...problemProperties, status: { type: 'integer', const: status }, code: { type: 'string', enum: group.map((type) => type.code) } },
            },
          },
        },
      },
    ]),
  );
}
const problemProperties = (jsonSchemaOf(problemBodySchema, 'output') as { properties: Record<string, unknown> }).properties;

function response(spec: ResponseSpec) {
  return {
    description: spec.description,
    ...(spec.headers && {
      headers: Object.fromEntries(
        Object.entries(spec.headers).map(([name, header]) => [name, { description: header.description, schema: jsonSchemaOf(header.schema, 'output') }]),
      ),
    }),
    ...(spec.schema && { content: { [spec.contentType ?? 'application/json']: { schema: jsonSchemaOf(spec.schema, 'output') } } }),
  };
}

function withHeaders(responses: Record<string, unknown>, headers: OperationSpec['problemHeaders']): Record<string, unknown> {
  if (!headers) return responses;
  for (const [status, byName] of Object.entries(headers)) {
    if (!responses[status]) throw new Error(`OpenAPI: headers given for problem status ${status}, which the operation does not answer`);
    responses[status] = { ...(responses[status] as object), headers: (response({ description: '', headers: byName }) as { headers: unknown }).headers };
  }
  return responses;
}

function operation(spec: OperationSpec) {
  return {
    operationId: `${spec.method}${spec.path.replace(/[{}]/g, '').replace(/[^A-Za-z0-9]+(.)?/g, (_, c: string | undefined) => c?.toUpperCase() ?? '')}`,
    summary: spec.summary,
    ...(spec.description && { description: spec.description }),
    ...(spec.security && { security: spec.security.map((name) => ({ [name]: [] })) }),
    parameters: [...parameters('path', spec.params), ...parameters('query', spec.query), ...parameters('header', spec.headers)],
    ...(spec.body && { requestBody: { required: true, content: { 'application/json': { schema: jsonSchemaOf(spec.body, 'input') } } } }),
    responses: {
      ...Object.fromEntries(Object.entries(spec.responses).map(([status, r]) => [status, response(r)])),
      // Whatever an operation parses can be refused: parseOrThrow answers validation_failed.
      ...withHeaders(
        problemResponses([...(spec.params || spec.query || spec.headers || spec.body ? [problems.validation_failed] : []), ...(spec.problems ?? [])]),
        spec.problemHeaders,
      ),
    },
  };
}

/** An OpenAPI 3.1 document from operation specs; the caller serves it as JSON. */
export function openApiDocument(spec: DocumentSpec) {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const op of spec.operations) {
    const path = paths[op.path] ?? {};
    paths[op.path] = path;
    if (path[op.method]) throw new Error(`OpenAPI: ${op.method.toUpperCase()} ${op.path} is described twice`);
    path[op.method] = operation(op);
  }
  return {
    openapi: '3.1.0',
    info: { title: spec.title, version: spec.version, description: spec.description },
    ...(spec.security && { security: spec.security.map((name) => ({ [name]: [] })) }),
    paths,
    ...(spec.securitySchemes && { components: { securitySchemes: spec.securitySchemes } }),
  };
}
