import { describe, expect, it } from 'vitest';
import { findByPersonalToken, newPersonalToken, tokenHash } from './personal-token.ts';

const token = newPersonalToken();
const grace = { name: 'grace', tokenHash: tokenHash(token) };

/** A lookup over stored owners that records what it was asked. */
function lookUpIn(stored: Array<typeof grace>) {
  const asked: string[] = [];
  const lookUp = async (hash: string) => {
    asked.push(hash);
    return stored.find((t) => t.tokenHash === hash);
  };
  return { asked, lookUp };
}

describe('the owner of a personal token', () => {
  it("when the owner's token is presented, then the owner is found by the token's hash, never by the token", async () => {
    const { asked, lookUp } = lookUpIn([grace]);
    expect(await findByPersonalToken(token, lookUp)).toEqual(grace);
    expect(asked).toEqual([tokenHash(token)]);
  });

  it('when another well-formed token is presented, then no one is found', async () => {
    expect(await findByPersonalToken(newPersonalToken(), lookUpIn([grace]).lookUp)).toBeUndefined();
  });

  it('when the store answers a row whose hash is not the presented one, then it does not count', async () => {
    const wrongRow = async () => ({ ...grace, tokenHash: tokenHash(newPersonalToken()) });
    expect(await findByPersonalToken(token, wrongRow)).toBeUndefined();
  });

  it('when something that cannot be a personal token is presented (a shared token, garbage), then the store is not asked', async () => {
    const { asked, lookUp } = lookUpIn([grace]);
    for (const presented of ['o'.repeat(40), `${token}x`, token.slice(1), `${token.slice(0, 42)}!`, ''])
      expect(await findByPersonalToken(presented, lookUp)).toBeUndefined();
    expect(asked).toEqual([]);
  });

  it('when tokens are issued, then each is 43 base64url characters (32 bytes), no two alike, and kept as 64 hex digits', () => {
    const issued = new Set(Array.from({ length: 100 }, () => newPersonalToken()));
    expect(issued.size).toBe(100);
    for (const t of issued) expect(t).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(tokenHash(token)).toMatch(/^[0-9a-f]{64}$/);
  });
});
