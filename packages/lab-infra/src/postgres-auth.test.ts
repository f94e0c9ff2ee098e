import { createHash, createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { scramVerifier } from './postgres-auth.ts';

/** RFC 7677 §3's exchange: user "user", password "pencil". */
const rfc = {
  salt: 'W22ZaJ0SNY7soEsUEjb6gQ==',
  authMessage:
    'n=user,r=rOprNGfwEbeRWgbNEkqO,' +
    'r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096,' +
    'c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0',
  clientProof: 'dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=',
  serverSignature: '6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=',
};

describe('scramVerifier', () => {
  const verifier = scramVerifier('pencil', Buffer.from(rfc.salt, 'base64'), 4096);
  const [, head, keys] = /^SCRAM-SHA-256\$(.+)\$(.+)$/.exec(verifier)!;
  const [storedKey, serverKey] = keys!.split(':').map((k) => Buffer.from(k, 'base64'));

  it('when given the RFC 7677 salt and password, then it names its iterations and salt as Postgres stores them', () => {
    expect(head).toBe(`4096:${rfc.salt}`);
  });

  it('when its server key signs the RFC exchange, then the signature is the RFC server-final message', () => {
    expect(createHmac('sha256', serverKey!).update(rfc.authMessage).digest('base64')).toBe(rfc.serverSignature);
  });

  it("when the RFC client's proof is checked against its stored key, then it verifies (the server's check)", () => {
    const clientSignature = createHmac('sha256', storedKey!).update(rfc.authMessage).digest();
    const proof = Buffer.from(rfc.clientProof, 'base64');
    const clientKey = Buffer.from(proof.map((byte, i) => byte ^ clientSignature[i]!));
    expect(createHash('sha256').update(clientKey).digest().equals(storedKey!)).toBe(true);
  });

  it('when called twice for one password, then the salts differ', () => {
    expect(scramVerifier('pencil')).not.toBe(scramVerifier('pencil'));
  });
});
