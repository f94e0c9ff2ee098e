import { createHash, randomBytes } from 'node:crypto';
import { tokensMatch } from './bearer-token.ts';

/**
 * A person's own token (a trainee's): 32 random bytes, base64url. Shown once when issued; only
 * its hash is kept.
 */
export function newPersonalToken(): string {
  return randomBytes(32).toString('base64url');
}

/**
 * What is stored of a personal token and what a presented token is looked up by: its SHA-256,
 * hex. A slow password hash (scrypt, argon2) protects guessable secrets; a token of 256 random
 * bits cannot be guessed, so a fast hash is enough and a lookup by hash stays cheap on every
 * request. Every process that checks these tokens (training, the chaos controller) uses this.
 */
export function tokenHash(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** What a personal token looks like (43 base64url characters): anything else is not looked up. */
export function looksLikePersonalToken(token: string): boolean {
  return /^[A-Za-z0-9_-]{43}$/.test(token);
}

/**
 * The owner of a presented personal token, or undefined. Only the token's hash is looked up, and
 * the stored hash is compared with it in constant time before it counts: the index finds the
 * row, the comparison decides. A string that cannot be a personal token costs no lookup.
 */
export async function findByPersonalToken<T extends { tokenHash: string }>(
  presented: string,
  lookUp: (hash: string) => Promise<T | undefined>,
): Promise<T | undefined> {
  if (!looksLikePersonalToken(presented)) return undefined;
  const hash = tokenHash(presented);
  const found = await lookUp(hash);
  return found && tokensMatch(hash, found.tokenHash) ? found : undefined;
}
