import { which } from '@firedrill/lab-infra';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

// Some code below runs in the page. page.evaluate takes it as a string (this file is typed for
// Node); waitForFunction needs a function (a string predicate is eval'd in the page, which the
// console's CSP forbids), typed by these few page globals.
interface PageElement {
  querySelector(selector: string): PageElement | null;
  textContent: string | null;
}
declare const document: { querySelectorAll(selector: string): Iterable<PageElement> };

/** Debian's chromium, driven by playwright-core (as the console's browser tests do). */
export async function launchChromium(): Promise<Browser> {
  const executablePath = which('chromium', ['/usr/bin']);
  if (!executablePath) throw new Error('chromium is not installed (as root on Debian: apt-get install -y --no-install-recommends chromium)');
  // As root chromium's own sandbox cannot start; the page is the lab's own, on loopback.
  return chromium.launch({ executablePath, args: ['--no-sandbox'] });
}

/** A fresh browser context (empty cache) signed in to the console with `token`. */
export async function signedInContext(browser: Browser, consoleUrl: string, token: string): Promise<BrowserContext> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  // The context's request client shares its cookie jar: the session cookie lands where the page will use it.
  const answer = await context.request.post(`${consoleUrl}/console/sign-in`, { data: { token }, headers: { origin: consoleUrl } });
  if (!answer.ok()) throw new Error(`console sign-in: ${answer.status()} ${await answer.text()}`);
  return context;
}

export interface FirstLoad {
  /** Navigation start → the first chart with its latest values shown (uPlot draws in the same render), ms. */
  firstChartMs: number;
  /** Bytes the browser received (bodies as sent, with headers) for requests finished by then. */
  bytes: number;
  /** Of those: the page itself (HTML, scripts, styles). */
  pageBytes: number;
  requests: number;
}

/** Loads the console once in a fresh signed-in context and measures it with Chrome's own network events. */
export async function measureFirstLoad(browser: Browser, consoleUrl: string, token: string): Promise<FirstLoad> {
  const context = await signedInContext(browser, consoleUrl, token);
  try {
    const page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    const types = new Map<string, string>();
    const finished: Array<{ type: string; bytes: number }> = [];
    cdp.on('Network.responseReceived', (e) => types.set(e.requestId, e.type));
    cdp.on('Network.loadingFinished', (e) => finished.push({ type: types.get(e.requestId) ?? 'Other', bytes: e.encodedDataLength }));
    await cdp.send('Network.enable');
    await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
    await page.goto(consoleUrl);
    const drawn = await page.waitForFunction(
      () => {
        const figure = [...document.querySelectorAll('figure[data-chart]')].find(
          (f) => f.querySelector('canvas') && f.querySelector('dl.latest dd')?.textContent,
        );
        return figure ? performance.now() : false;
      },
      undefined,
      { polling: 'raf', timeout: 30_000 },
    );
    const firstChartMs = (await drawn.jsonValue()) as number;
    const seen = [...finished];
    return {
      firstChartMs,
      bytes: seen.reduce((sum, r) => sum + r.bytes, 0),
      pageBytes: seen.filter((r) => ['Document', 'Script', 'Stylesheet'].includes(r.type)).reduce((sum, r) => sum + r.bytes, 0),
      requests: seen.length,
    };
  } finally {
    await context.close();
  }
}

export interface TitleChange {
  /** Browser clock, epoch ms. */
  at: number;
  title: string;
}

/** Starts recording every change of the tab's title (the page's alert page) with the browser's clock. */
export async function recordTitles(page: Page): Promise<void> {
  await page.evaluate(`(() => {
    const titles = (window.__titles = []);
    const record = () => titles.push({ at: Date.now(), title: document.title });
    record();
    new MutationObserver(record).observe(document.head, { childList: true, characterData: true, subtree: true });
  })()`);
}

export async function titlesSoFar(page: Page): Promise<TitleChange[]> {
  return (await page.evaluate('window.__titles')) as TitleChange[];
}

/** The alert names a title pages for: "(2) FIRING: A, B · Firedrill console" → [A, B]. */
export function pagedAlerts(title: string): string[] {
  const match = /^\(\d+\) FIRING: (.*) · /.exec(title);
  return match ? match[1]!.split(', ') : [];
}
