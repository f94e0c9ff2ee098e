import { mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { chromium, type Browser, type Locator, type Page } from 'playwright-core';
import { which } from '@firedrill/lab-infra';

/**
 * What the console's browser tests share: finding Debian's chromium (or why it is not there),
 * launching it, axe-core and screenshots. `lab setup` (run first by `npm test`) installs chromium
 * when root on Debian; FIREDRILL_BROWSER_TESTS=0 turns the browser tests off on purpose.
 */
export const repoRoot = path.resolve(import.meta.dirname, '..', '..', '..');

/** Where every screenshot goes (CI keeps the folder; `npm run screenshots` copies chosen ones to docs/). */
export const screenshotDir = path.join(repoRoot, 'test-output', 'console');

export type BrowserAvailability = { path: string; skipReason?: undefined } | { path?: undefined; skipReason: string };

/** The chromium to drive, or why the browser tests skip (printed once by the caller's file). */
export function findChromium(): BrowserAvailability {
  if (process.env.FIREDRILL_BROWSER_TESTS === '0') return { skipReason: 'FIREDRILL_BROWSER_TESTS=0 turns the browser tests off' };
  // The same places lab/src/setup/browser-for-tests.ts looks.
  const found = which('chromium', ['/usr/bin', '/usr/local/bin']);
  if (found) return { path: found };
  return {
    skipReason: 'chromium is not installed: `npx lab setup` installs it when root on Debian (or: apt-get install --no-install-recommends chromium)',
  };
}

/** Says, once per file, that a browser test file is skipped and why (vitest only shows "skipped"). */
export function announceSkip(file: string, availability: BrowserAvailability): void {
  if (availability.skipReason) console.warn(`${file}: skipped, ${availability.skipReason}`);
}

export function launchChromium(executablePath: string): Promise<Browser> {
  // As root (CI containers) chromium's own sandbox cannot start; the pages are our own, on loopback.
  return chromium.launch({ executablePath, args: ['--no-sandbox'] });
}

export interface AxeViolation {
  id: string;
  impact: string;
  help: string;
  nodes: string[];
}

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/**
 * axe-core's serious and critical violations on the page as it is now. Injected through the
 * DevTools protocol (page.evaluate), so the page's own CSP stays on. Strings, not functions: this
 * code is typed for Node, the expressions run in the page.
 */
export async function seriousViolations(page: Page): Promise<AxeViolation[]> {
  if (!(await page.evaluate('typeof axe !== "undefined"'))) await page.evaluate(axeSource);
  const violations = (await page.evaluate(
    'axe.run().then((r) => r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => n.target.join(" ")) })))',
  )) as AxeViolation[];
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}

/** A full-page screenshot named `<name>.png` in the screenshot folder. */
export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(screenshotDir, { recursive: true });
  await page.screenshot({ path: path.join(screenshotDir, `${name}.png`), fullPage: true });
}

export async function expectVisible(locator: Locator, timeout = 10_000): Promise<void> {
  await locator.first().waitFor({ state: 'visible', timeout });
}

/** A response the page got: what it asked (method, path with query, body) and the status. */
export interface AnsweredRequest {
  method: string;
  path: string;
  body: string | null;
  status: number;
}

/** Records a page's uncaught errors and every response it gets, for a test to assert on afterwards. */
export function watchPage(page: Page): { pageErrors: string[]; answered: AnsweredRequest[] } {
  const pageErrors: string[] = [];
  const answered: AnsweredRequest[] = [];
  page.on('pageerror', (err) => pageErrors.push(err.message));
  page.on('response', (response) => {
    const url = new URL(response.url());
    answered.push({
      method: response.request().method(),
      path: `${url.pathname}${url.search}`,
      body: response.request().postData(),
      status: response.status(),
    });
  });
  return { pageErrors, answered };
}
