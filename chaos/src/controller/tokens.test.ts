import { mkdtempSync, statSync, writeFileSync, chmodSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ensureTokenFile } from '../shared/token-file.ts';
import { bearerToken, tokensMatch } from './tokens.ts';

describe('instructor tokens', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'tokens-'));

  it('when no token exists, then one is generated in a file only its owner can read', () => {
    const file = path.join(dir, 'fresh', 'instructor-token');
    const token = ensureTokenFile(file);
    expect(token).toMatch(/^[\w-]{43}$/);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(ensureTokenFile(file)).toBe(token);
  });

  it('when the file was loosened, then it is tightened again', () => {
    const file = path.join(dir, 'loose');
    writeFileSync(file, 'x'.repeat(43));
    chmodSync(file, 0o644);
    ensureTokenFile(file);
    expect(statSync(file).mode & 0o777).toBe(0o600);
  });

  it('when tokens are compared, then only the exact token matches', () => {
    expect(tokensMatch('secret-token', 'secret-token')).toBe(true);
    expect(tokensMatch('secret-tokem', 'secret-token')).toBe(false);
    expect(tokensMatch('', 'secret-token')).toBe(false);
  });

  it('when an Authorization header is read, then only a bearer token counts', () => {
    expect(bearerToken('Bearer abc')).toBe('abc');
    expect(bearerToken('bearer abc ')).toBe('abc');
    expect(bearerToken('Basic abc')).toBeUndefined();
    expect(bearerToken(undefined)).toBeUndefined();
  });
});
