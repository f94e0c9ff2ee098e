import { randomBytes, timingSafeEqual, createHash } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/**
 * Reads a secret token from `file`, generating it on first use. The file is created with mode
 * 0600 (owner read/write only) and the token is never printed or logged.
 */
export function ensureTokenFile(file: string): string {
  if (!existsSync(file)) {
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, `${randomBytes(32).toString('base64url')}\n`, { mode: 0o600, flag: 'wx' });
  }
  chmodSync(file, 0o600); // tighten a file someone loosened
  return readToken(file);
}

export function readToken(file: string): string {
  const token = readFileSync(file, 'utf8').trim();
  if (token.length < 32) throw new Error(`${file} does not hold a valid token`);
  return token;
}

/**
 * Constant-time comparison. Both sides are hashed first so the comparison does not leak the
 * token's length either.
 */
export function tokensMatch(presented: string, expected: string): boolean {
  const a = createHash('sha256').update(presented).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
}

/** The bearer token of an Authorization header, or undefined. */
export function bearerToken(header: string | undefined): string | undefined {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
  return match?.[1];
}
