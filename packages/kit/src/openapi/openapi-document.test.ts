import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { storableText, storableTextPattern } from '../validation/index.ts';
import { defineProblems, problems as genericProblems } from '../errors/index.ts';
import { jsonBodyProblems } from './problem-schema.ts';
import { openApiDocument, type OperationSpec } from './openapi-document.ts';

const problems = { ...genericProblems, ...defineProblems({ unknown_product: { status: 422, title: 'The order names a product that does not exist' } }) };

const thing = z.object({ id: z.uuid(), name: z.string() });
const operations: OperationSpec[] = [
  {
    method: 'post',
    path: '/things',
    summary: 'Make a thing',
    headers: z.object({ 'Idempotency-Key': storableText().min(1).max(200), 'X-Note': z.string().optional() }),
    body: z.strictObject({ name: storableText().min(1), email: z.email() }),
    responses: { 201: { description: 'Made', schema: thing } },
    problems: [...jsonBodyProblems, problems.idempotency_key_reused, problems.unknown_product],
  },
  {
    method: 'get',
    path: '/things/{id}',
    summary: 'One thing',
    params: z.object({ id: z.uuid() }),
    responses: { 200: { description: 'It', schema: thing } },
    problems: [problems.not_found],
  },
  { method: 'get', path: '/live', summary: 'Alive', responses: { 200: { description: 'Yes' } } },
];
// The document is plain JSON; tests read it loosely.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const doc = openApiDocument({ title: 'Things', version: '1', description: 'Test', operations }) as any;

describe('openApiDocument', () => {
  it('when built, then it is OpenAPI 3.1 with one entry per path and method', () => {
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths)).toEqual(['/things', '/things/{id}', '/live']);
    expect(doc.paths['/things'].post.operationId).toBe('postThings');
  });

  it('when an operation has headers and path params, then each is a parameter with its schema and whether it is required', () => {
    expect(doc.paths['/things'].post.parameters).toEqual([
      { name: 'Idempotency-Key', in: 'header', required: true, schema: { type: 'string', minLength: 1, maxLength: 200, pattern: storableTextPattern } },
      { name: 'X-Note', in: 'header', required: false, schema: { type: 'string' } },
    ]);
    expect(doc.paths['/things/{id}'].get.parameters[0]).toMatchObject({ name: 'id', in: 'path', required: true, schema: { type: 'string', format: 'uuid' } });
  });

  it('when a body is given, then it is a required JSON request body, strict objects closed', () => {
    const schema = doc.paths['/things'].post.requestBody.content['application/json'].schema;
    expect(doc.paths['/things'].post.requestBody.required).toBe(true);
    expect(schema).toMatchObject({ type: 'object', required: ['name', 'email'], additionalProperties: false });
    // The format says what zod's email pattern spells out; storable text says it refuses NUL.
    expect(schema.properties.email).toEqual({ type: 'string', format: 'email' });
    expect(schema.properties.name.pattern).toBe(storableTextPattern);
  });

  it('when problems are listed, then they are grouped by status, each response naming and constraining its codes', () => {
    const responses = doc.paths['/things'].post.responses;
    expect(Object.keys(responses).sort()).toEqual(['201', '400', '413', '415', '422']);
    const unprocessable = responses['422'].content['application/problem+json'].schema;
    expect(unprocessable.properties.code).toEqual({ type: 'string', enum: ['idempotency_key_reused', 'unknown_product'] });
    expect(unprocessable.properties.status).toEqual({ type: 'integer', const: 422 });
    expect(responses['400'].description).toContain('`malformed_json`');
  });

  it('when an operation parses input, then validation_failed is documented even if not listed', () => {
    expect(doc.paths['/things/{id}'].get.responses['400'].content['application/problem+json'].schema.properties.code.enum).toEqual(['validation_failed']);
    expect(doc.paths['/live'].get.responses['400']).toBeUndefined();
  });

  it('when the same path and method are described twice, then building fails', () => {
    expect(() => openApiDocument({ title: 'T', version: '1', description: 'd', operations: [operations[2]!, operations[2]!] })).toThrow(/described twice/);
  });
});
