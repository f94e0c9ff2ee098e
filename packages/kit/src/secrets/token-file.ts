import { randomBytes } from 'node:crypto';
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
