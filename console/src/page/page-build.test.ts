/**
 * The page's build step as the lab runs it: a real Vite build of console/web into a scratch folder,
 * its stamp, and the console serving the result (the fresh-clone case: no page → built → 200, not
 * 503). Staleness is checked on a scratch copy of a source tree, so editing a file there is safe.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createLogger, createRegistry, prometheusClient } from '@firedrill/kit';
import { buildConsoleApp } from '../app.ts';
import { createSessionStore } from '../session/session-store.ts';
import { ensurePageBuilt, pageState } from './page-build.ts';
import { buildStampFile, pageSourceDigest } from './page-sources.ts';

const scratch = mkdtempSync(path.join(os.tmpdir(), 'console-page-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('the console page build', () => {
  it('when the page is missing, then ensurePageBuilt builds it with Vite, stamps it, and the console serves it', async () => {
    const webDir = path.join(scratch, 'web-out');
    expect(pageState(webDir)).toBe('missing');

    const first = ensurePageBuilt({ webDir });
    expect(first).toEqual({ before: 'missing', state: 'current', built: true });
    const stamp = JSON.parse(readFileSync(path.join(webDir, buildStampFile), 'utf8')) as { digest: string };
    expect(stamp.digest).toBe(pageSourceDigest());

    // Current now: a second call does not build again.
    expect(ensurePageBuilt({ webDir })).toEqual({ before: 'current', state: 'current', built: false });

    const app = buildConsoleApp({
      sessions: createSessionStore({ ttlMs: 60_000 }),
      trainingUrl: 'http://127.0.0.1:1',
      chaosUrl: 'http://127.0.0.1:1',
      prometheusFor: () => prometheusClient({ url: 'http://127.0.0.1:1' }),
      sessionTtlMs: 60_000,
      webDir,
      logger: createLogger('console-page-test', 'silent'),
      registry: createRegistry('console'),
    });
    const server = app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    try {
      const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      const page = await fetch(`${base}/`);
      expect(page.status).toBe(200);
      const html = await page.text();
      const script = /<script type="module" crossorigin src="(\/assets\/[^"]+\.js)"/.exec(html)?.[1];
      expect(script, html).toBeDefined();
      const bundle = await fetch(`${base}${script}`);
      expect(bundle.status).toBe(200);
      expect(bundle.headers.get('content-type')).toMatch(/javascript/);
      // The stamp is for the lab, not the browser.
      expect((await fetch(`${base}/${buildStampFile}`)).status).toBe(404);
    } finally {
      server.close();
    }
  });

  it('when a source changes after the build, then the page is stale until it is built again', () => {
    const sources = path.join(scratch, 'sources');
    const webDir = path.join(scratch, 'stale-out');
    mkdirSync(path.join(sources, 'web', 'src'), { recursive: true });
    mkdirSync(webDir, { recursive: true });
    writeFileSync(path.join(sources, 'web', 'index.html'), '<main id="app"></main>');
    writeFileSync(path.join(sources, 'web', 'src', 'main.tsx'), 'export const a = 1;');
    writeFileSync(path.join(webDir, 'index.html'), '<p>built</p>');

    // Built before any stamp existed (an older build): stale.
    expect(pageState(webDir, sources)).toBe('stale');
    writeFileSync(path.join(webDir, buildStampFile), JSON.stringify({ digest: pageSourceDigest(sources), builtAt: new Date().toISOString() }));
    expect(pageState(webDir, sources)).toBe('current');

    writeFileSync(path.join(sources, 'web', 'src', 'main.tsx'), 'export const a = 2;');
    expect(pageState(webDir, sources)).toBe('stale');

    writeFileSync(path.join(webDir, buildStampFile), JSON.stringify({ digest: pageSourceDigest(sources), builtAt: new Date().toISOString() }));
    writeFileSync(path.join(sources, 'web', 'src', 'extra.ts'), 'export {};');
    expect(pageState(webDir, sources)).toBe('stale');
  });
});
