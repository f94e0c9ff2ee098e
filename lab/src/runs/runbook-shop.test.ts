import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { portsFor, teamPortsFor } from '@firedrill/lab-infra';
import { describe, expect, it } from 'vitest';
import type { RunningLab } from '../cli/running-lab.ts';
import { runbookShop, traineePrometheusAccess } from './runbook-shop.ts';

const lab = (teams?: string[]): RunningLab => ({ state: { portBase: 7400, ...(teams && { teams }) } as RunningLab['state'], ports: portsFor(7400) });
const credentials = { username: 'lab', password: 'secret' };

describe('the shop `lab runbook run` aims at', () => {
  it("when the lab is a single shop, then its api, payments and the lab's Prometheus with the lab's credentials; no team", () => {
    const shop = runbookShop(lab(), '/state', undefined, { kind: 'lab', credentials });
    expect(shop.team).toBeUndefined();
    expect(shop.apiUrl).toBe(`http://127.0.0.1:${portsFor(7400).api}`);
    expect(shop.paymentsUrl).toBe(`http://127.0.0.1:${portsFor(7400).payments}`);
    expect(shop.prometheus.url).toBe(`http://127.0.0.1:${portsFor(7400).prometheus}`);
    expect(shop.prometheus.credentials).toEqual(credentials);
  });

  it("when a class's team is named by the lab's user, then that team's block of ports and its prom-label-proxy (team-scoped) with the lab's credentials", () => {
    const green = teamPortsFor(7400, 2);
    const shop = runbookShop(lab(['blue', 'green']), '/state', 'green', { kind: 'lab', credentials });
    expect(shop).toMatchObject({ team: 'green', apiUrl: `http://127.0.0.1:${green.api}`, paymentsUrl: `http://127.0.0.1:${green.payments}` });
    expect(shop.prometheus.url).toBe(`http://127.0.0.1:${green.promLabelProxy}`);
    expect(shop.prometheus.credentials).toEqual(credentials);
    // Not the base block's shop, which a class leaves unused.
    expect(shop.apiUrl).not.toBe(`http://127.0.0.1:${portsFor(7400).api}`);
  });

  it("when a trainee runs it, then its team's gate with its own token, never the lab's credentials", async () => {
    const seen: Array<string | null> = [];
    const shop = runbookShop(lab(['blue', 'green']), '/state', 'blue', { kind: 'gate', url: 'http://127.0.0.1:1/', token: 'blue-token' });
    expect(shop.prometheus.url).toBe('http://127.0.0.1:1');
    expect(shop.prometheus.credentials).toEqual({ username: 'blue', password: 'blue-token' });
    const realFetch = globalThis.fetch;
    globalThis.fetch = (async (_url: string, init: RequestInit) => {
      seen.push(new Headers(init.headers).get('authorization'));
      return new Response('{}');
    }) as typeof fetch;
    try {
      await shop.prometheus.fetch('/api/v1/query?query=up');
    } finally {
      globalThis.fetch = realFetch;
    }
    expect(seen).toEqual([`Basic ${Buffer.from('blue:blue-token').toString('base64')}`]);
  });

  it("when a trainee's account has its gate's files, then they are its access; without them, none", () => {
    const home = mkdtempSync(path.join(os.tmpdir(), 'runbook-shop-'));
    expect(traineePrometheusAccess(home)).toBeUndefined();
    const dir = path.join(home, '.config', 'firedrill');
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, 'prometheus-url'), 'http://127.0.0.1:7611\n');
    writeFileSync(path.join(dir, 'prometheus-token'), 'tok\n');
    expect(traineePrometheusAccess(home)).toEqual({ kind: 'gate', url: 'http://127.0.0.1:7611', token: 'tok' });
  });
});
