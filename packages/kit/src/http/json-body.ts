import express, { type RequestHandler } from 'express';
import { HttpProblem, problems } from '../errors/index.ts';

/**
 * JSON bodies only, with a size limit. A write with a non-JSON content type is refused with 415
 * instead of being silently read as an empty body.
 */
export function jsonBody(limit = '32kb'): RequestHandler[] {
  const requireJson: RequestHandler = (req, _res, next) => {
    const hasBody = req.headers['content-length'] !== '0' && (req.headers['content-length'] || req.headers['transfer-encoding']);
    if (['POST', 'PUT', 'PATCH'].includes(req.method) && hasBody && !req.is('application/json')) {
      const detail = `Send Content-Type: application/json (got ${req.headers['content-type'] ?? 'none'})`;
      return next(new HttpProblem(problems.unsupported_media_type, detail, { errors: [{ field: 'Content-Type', message: detail }] }));
    }
    next();
  };
  return [requireJson, express.json({ limit, strict: true })];
}
