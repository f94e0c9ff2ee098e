import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { FlagsServer, freePort, waitFor } from '@firedrill/lab-infra';
import { createLogger } from '../logger/index.ts';
import { startServiceFlags, type ServiceFlags } from './service-flags.ts';

const logger = createLogger('flags-test', 'silent');

function tokenFile(content: string): string {
  const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'flags-')), 'agent-token');
  writeFileSync(file, `${content}\n`, { mode: 0o600 });
  return file;
}

describe('LabFlagProvider through OpenFeature', () => {
  const opened: Array<ServiceFlags | FlagsServer> = [];
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((x) => x.close()));
  });

  async function server(flags: Record<string, boolean | number | string> = {}): Promise<FlagsServer> {
    const s = await FlagsServer.start(flags);
    opened.push(s);
    return s;
  }

  async function flagsFor(lab: { url: string; tokenFile: string } | undefined, file = lab?.tokenFile): Promise<ServiceFlags> {
    const f = await startServiceFlags('svc', { FLAGS_URL: lab?.url, FLAGS_POLL_MS: 500, CHAOS_AGENT_TOKEN_FILE: file }, logger);
    opened.push(f);
    return f;
  }

  it('when no FLAGS_URL is set, then every flag keeps the default the caller gives', async () => {
    const { client } = await flagsFor(undefined);
    const details = await client.getBooleanDetails('payments.fraud-check', false);
    expect(details).toMatchObject({ value: false, reason: 'DEFAULT' });
    expect(await client.getNumberValue('api.payment-retries', 3)).toBe(3);
  });

  it('when the lab sets flags, then the first answer is in force as soon as the service has started', async () => {
    const lab = await server({ 'payments.fraud-check': true, 'api.payment-retries': 1 });
    const { client, provider } = await flagsFor(lab);
    expect(provider.version).toBe(1);
    expect(await client.getBooleanDetails('payments.fraud-check', false)).toMatchObject({ value: true, reason: 'STATIC' });
    expect(await client.getNumberValue('api.payment-retries', 3)).toBe(1);
    // A flag the lab does not set keeps the caller's default.
    expect(await client.getBooleanDetails('api.degraded-mode', false)).toMatchObject({ value: false, reason: 'DEFAULT' });
  });

  it('when a flag changes, then every instance evaluates the new value after its next poll', async () => {
    const lab = await server({ 'api.degraded-mode': false });
    const instances = [await flagsFor(lab), await flagsFor(lab)];
    lab.set({ 'api.degraded-mode': true });
    // The protocol's promise is one 500 ms poll plus one answer; the wait is generous so a busy CI
    // machine does not turn a functional test into a timing test.
    await Promise.all(
      instances.map(({ client }) =>
        waitFor('the change', async () => (await client.getBooleanValue('api.degraded-mode', false)) === true, { timeoutMs: 5_000, intervalMs: 20 }),
      ),
    );
    lab.set({ 'api.degraded-mode': undefined });
    await Promise.all(
      instances.map(({ client }) =>
        waitFor('the removal', async () => (await client.getBooleanDetails('api.degraded-mode', false)).reason === 'DEFAULT', {
          timeoutMs: 5_000,
          intervalMs: 20,
        }),
      ),
    );
  });

  it('when the lab becomes unreachable or goes away, then its last answer stays in force (STALE)', async () => {
    const lab = await server({ 'payments.secondary-gateway': true });
    const { client } = await flagsFor(lab);
    lab.unreachable = true;
    const failingFrom = lab.requests;
    await waitFor('two failed polls', async () => lab.requests >= failingFrom + 2, { timeoutMs: 5_000, intervalMs: 20 });
    expect(await client.getBooleanDetails('payments.secondary-gateway', false)).toMatchObject({ value: true, reason: 'STALE' });

    await lab.close();
    opened.splice(opened.indexOf(lab), 1);
    expect(await client.getBooleanValue('payments.secondary-gateway', false)).toBe(true);
  });

  it('when the lab recovers after an outage, then its new answer is applied and no longer stale', async () => {
    const lab = await server({ 'api.payment-timeout-ms': 800 });
    const { client } = await flagsFor(lab);
    lab.unreachable = true;
    await waitFor('stale', async () => (await client.getNumberDetails('api.payment-timeout-ms', 2000)).reason === 'STALE', {
      timeoutMs: 5_000,
      intervalMs: 20,
    });
    lab.set({ 'api.payment-timeout-ms': 300 });
    lab.unreachable = false;
    await waitFor('the new answer', async () => (await client.getNumberDetails('api.payment-timeout-ms', 2000)).reason === 'STATIC', {
      timeoutMs: 5_000,
      intervalMs: 20,
    });
    expect(await client.getNumberValue('api.payment-timeout-ms', 2000)).toBe(300);
  });

  it('when the lab is down at start, then defaults apply and its flags arrive once it answers', async () => {
    const port = await freePort();
    const token = 'a-token-of-the-lab-that-is-not-up-yet-0123456789';
    const { client } = await flagsFor({ url: `http://127.0.0.1:${port}`, tokenFile: tokenFile(token) });
    expect(await client.getBooleanValue('payments.fraud-check', false)).toBe(false);
    // The lab comes up on the port the service was told.
    const lab = await FlagsServer.start({ 'payments.fraud-check': true }, { port, token });
    opened.push(lab);
    await waitFor('the lab', async () => (await client.getBooleanValue('payments.fraud-check', false)) === true, { timeoutMs: 5_000, intervalMs: 20 });
  });

  it('when the token is refused, then flags keep their defaults', async () => {
    const lab = await server({ 'payments.fraud-check': true });
    const { client } = await flagsFor(lab, tokenFile('some-other-token-that-the-lab-does-not-know'));
    await waitFor('a refused poll', async () => lab.requests >= 2, { timeoutMs: 5_000, intervalMs: 20 });
    expect(await client.getBooleanDetails('payments.fraud-check', false)).toMatchObject({ value: false, reason: 'DEFAULT' });
  });

  it('when the lab sets a flag to a value of another type, then the evaluation says so and the default applies', async () => {
    const lab = await server({ 'api.payment-retries': 'three' });
    const { client } = await flagsFor(lab);
    expect(await client.getNumberDetails('api.payment-retries', 3)).toMatchObject({ value: 3, errorCode: 'TYPE_MISMATCH' });
  });

  it("when the service is a class's team's (CHAOS_TEAM), then it asks the lab for its team's flags", async () => {
    const asked: string[] = [];
    const lab = createServer((req, res) => {
      asked.push(req.url ?? '');
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ version: 1, flags: { 'payments.fraud-check': true } }));
    });
    await new Promise<void>((resolve) => lab.listen(0, '127.0.0.1', resolve));
    try {
      const url = `http://127.0.0.1:${(lab.address() as AddressInfo).port}`;
      const f = await startServiceFlags('svc', { FLAGS_URL: url, FLAGS_POLL_MS: 500, CHAOS_AGENT_TOKEN_FILE: tokenFile('t'), CHAOS_TEAM: 'blue' }, logger);
      opened.push(f);
      expect(await f.client.getBooleanValue('payments.fraud-check', false)).toBe(true);
      expect(asked[0]).toBe('/api/flags?team=blue');
    } finally {
      lab.closeAllConnections();
      await new Promise<void>((resolve) => lab.close(() => resolve()));
    }
  });

  it('when FLAGS_URL is set without a token file, then the service refuses to start', async () => {
    await expect(startServiceFlags('svc', { FLAGS_URL: 'http://127.0.0.1:1', FLAGS_POLL_MS: 500 }, logger)).rejects.toThrow(/CHAOS_AGENT_TOKEN_FILE/);
  });
});
