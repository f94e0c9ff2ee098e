import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { basicAuthorization, basicCredentialsOf, ensureBasicCredentialsFile, readBasicCredentials } from './basic-credentials.ts';
import { prometheusClient } from './prometheus-client.ts';

let server: http.Server;
let url: string;
const seen: Array<{ url: string | undefined; authorization: string | undefined }> = [];
const dir = mkdtempSync(path.join(os.tmpdir(), 'kit-prom-'));

beforeAll(async () => {
  server = http.createServer((req, res) => {
    seen.push({ url: req.url, authorization: req.headers.authorization });
    res.end('{}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
});
afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  rmSync(dir, { recursive: true, force: true });
});

describe("the kit's Prometheus client", () => {
  it('when given credentials, then every request carries them as a basic Authorization header and the URL never holds them', async () => {
    const client = prometheusClient({ url, credentials: { username: 'firedrill', password: 'p:w' } });
    await client.fetch('/api/v1/query?query=up');
    expect(seen.at(-1)).toEqual({ url: '/api/v1/query?query=up', authorization: `Basic ${Buffer.from('firedrill:p:w').toString('base64')}` });
    expect(client.url).not.toContain('p:w');
  });

  it('when given a token (a team gate’s), then every request carries it as a bearer Authorization header; never both kinds at once', async () => {
    const client = prometheusClient({ url, token: 't'.repeat(43) });
    await client.fetch('/api/v1/query?query=up');
    expect(seen.at(-1)).toEqual({ url: '/api/v1/query?query=up', authorization: `Bearer ${'t'.repeat(43)}` });
    expect(client.url).not.toContain('ttt');
    expect(() => prometheusClient({ url, token: 'x', credentials: { username: 'u', password: 'p' } })).toThrow(/not both/);
  });

  it('when given none, then no Authorization is sent', async () => {
    await prometheusClient({ url }).fetch('api/v1/alerts');
    expect(seen.at(-1)).toEqual({ url: '/api/v1/alerts', authorization: undefined });
  });

  it('when the credentials file is generated, then it is 0600, "user:password", stable across calls, and read back alike', () => {
    const file = path.join(dir, 'secrets', 'prometheus-credentials');
    const first = ensureBasicCredentialsFile(file, 'firedrill');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(first.username).toBe('firedrill');
    expect(first.password).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(ensureBasicCredentialsFile(file, 'firedrill')).toEqual(first);
    expect(readBasicCredentials(file)).toEqual(first);
  });
});

describe('basic auth read back', () => {
  it('when a basic Authorization header is read, then its user and password come back (a colon in the password kept); anything else is undefined', () => {
    expect(basicCredentialsOf(basicAuthorization({ username: 'blue', password: 'tok:en' }))).toEqual({ username: 'blue', password: 'tok:en' });
    for (const header of [undefined, '', 'Bearer abc', 'Basic', `Basic ${Buffer.from('no-colon').toString('base64')}`, 'Basic not base64!'])
      expect(basicCredentialsOf(header), String(header)).toBeUndefined();
  });
});
