import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import path from 'node:path';

/** A user name and password for HTTP basic auth (Prometheus' and Alertmanager's --web.config.file). */
export interface BasicCredentials {
  username: string;
  password: string;
}

/**
 * The credentials in `file` ("user:password" on one line), generating them on first use with a
 * random password. Mode 0600: only the lab's own user reads it. Never printed or logged.
 */
export function ensureBasicCredentialsFile(file: string, username: string): BasicCredentials {
  if (!existsSync(file)) {
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, `${username}:${randomBytes(24).toString('base64url')}\n`, { mode: 0o600, flag: 'wx' });
  }
  chmodSync(file, 0o600); // tighten a file someone loosened
  return readBasicCredentials(file);
}

export function readBasicCredentials(file: string): BasicCredentials {
  const line = readFileSync(file, 'utf8').trim();
  const colon = line.indexOf(':');
  if (colon < 1 || colon === line.length - 1) throw new Error(`${file} does not hold "user:password"`);
  return { username: line.slice(0, colon), password: line.slice(colon + 1) };
}

/** The Authorization header's value for `credentials`. */
export function basicAuthorization(credentials: BasicCredentials): string {
  return `Basic ${Buffer.from(`${credentials.username}:${credentials.password}`).toString('base64')}`;
}

/** The credentials an Authorization header carries as basic auth ("Basic base64(user:password)"), or undefined. */
export function basicCredentialsOf(header: string | undefined): BasicCredentials | undefined {
  const match = /^Basic\s+([A-Za-z0-9+/=]+)$/i.exec(header ?? '');
  if (!match) return undefined;
  const decoded = Buffer.from(match[1]!, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return colon < 0 ? undefined : { username: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}
