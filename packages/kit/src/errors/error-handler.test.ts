import { describe, expect, it } from 'vitest';
import express from 'express';
import { z } from 'zod';
import { createLogger } from '../logger/index.ts';
import { startHttpServer } from '../http/index.ts';
import { jsonBody } from '../http/index.ts';
import { errorHandler, parseOrThrow, routeNotFound } from './error-handler.ts';
import { HttpProblem, problems, type ProblemBody } from './problems.ts';

const problemOf = async (res: Response): Promise<ProblemBody> => (await res.json()) as ProblemBody;

async function withApp(fn: (url: string) => Promise<void>) {
  const app = express();
  app.use(jsonBody('1kb'));
  app.post('/things', (req, res) => {
    const body = parseOrThrow(z.strictObject({ name: z.string().min(1), count: z.number().int().positive() }), req.body);
    res.status(201).json(body);
  });
  app.get('/boom', () => {
    throw new Error('secret internal detail');
  });
  app.get('/echo/:value', (req, res) => {
    res.json({ value: req.params.value });
  });
  app.get('/gone', () => {
    throw new HttpProblem(problems.not_found, 'thing 7 does not exist');
  });
  app.use(routeNotFound);
  app.use(errorHandler(createLogger('test', 'silent')));
  const server = await startHttpServer(app, { port: 0, host: '127.0.0.1' });
  try {
    await fn(server.url);
  } finally {
    await server.close();
  }
}

const post = (url: string, body: string, type = 'application/json') => fetch(`${url}/things`, { method: 'POST', headers: { 'content-type': type }, body });

describe('errorHandler', () => {
  it('when a field is invalid, then 400 problem+json names the field', () =>
    withApp(async (url) => {
      const res = await post(url, JSON.stringify({ name: '', count: 1.5 }));
      expect(res.status).toBe(400);
      expect(res.headers.get('content-type')).toContain('application/problem+json');
      const body = await problemOf(res);
      expect(body.code).toBe('validation_failed');
      expect(body.errors!.map((e: { field: string }) => e.field).sort()).toEqual(['count', 'name']);
    }));

  it('when the body is not JSON, then 400 malformed_json', () =>
    withApp(async (url) => {
      const res = await post(url, '{"name": ');
      expect(res.status).toBe(400);
      expect((await problemOf(res)).code).toBe('malformed_json');
    }));

  it('when the body is too large, then 413 payload_too_large', () =>
    withApp(async (url) => {
      const res = await post(url, JSON.stringify({ name: 'x'.repeat(5_000), count: 1 }));
      expect(res.status).toBe(413);
      expect((await problemOf(res)).code).toBe('payload_too_large');
    }));

  it('when the content type is not JSON, then 415 unsupported_media_type', () =>
    withApp(async (url) => {
      const res = await post(url, 'name=x', 'application/x-www-form-urlencoded');
      expect(res.status).toBe(415);
      expect((await problemOf(res)).code).toBe('unsupported_media_type');
    }));

  it('when a handler has a bug, then 500 without internals', () =>
    withApp(async (url) => {
      const res = await fetch(`${url}/boom`);
      expect(res.status).toBe(500);
      const text = await res.text();
      expect(text).not.toContain('secret internal detail');
      expect(JSON.parse(text).code).toBe('internal_error');
    }));

  it('when an operational problem is thrown, then its code, status and detail are answered', () =>
    withApp(async (url) => {
      const res = await fetch(`${url}/gone`);
      expect(res.status).toBe(404);
      expect(await problemOf(res)).toMatchObject({ code: 'not_found', detail: 'thing 7 does not exist', type: 'https://firedrill.dev/problems/not-found' });
    }));

  it('when the path is not an endpoint, then 404 route_not_found', () =>
    withApp(async (url) => {
      const res = await fetch(`${url}/nope`);
      expect(res.status).toBe(404);
      expect((await problemOf(res)).code).toBe('route_not_found');
    }));

  it('when a path parameter is not valid percent-encoding, then 400 validation_failed, not 500', () =>
    withApp(async (url) => {
      const res = await fetch(`${url}/echo/%E0%A4%A`);
      expect(res.status).toBe(400);
      expect((await problemOf(res)).code).toBe('validation_failed');
    }));
});
