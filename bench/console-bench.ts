/**
 * npm run bench:console [-- --minutes 5] — the console on a fresh native lab under Lab 1's load
 * (k6's shoppers at 10 req/s), one run of Lab 1 live for team blue throughout:
 *   (a) alert → page: for each alert that starts firing while a signed-in trainee's page is open
 *       in chromium (Lab 1's own, and ones this bench causes with faults of its own through the
 *       chaos controller), the time from the chaos controller receiving Alertmanager's webhook
 *       (GET /api/alerts' receivedAt) to the tab's title naming the alert (the page's alert page,
 *       recorded in the page by a MutationObserver with the browser's clock: same machine, same
 *       clock). Split at the run's alert.fired event (training's journal) to show where time goes.
 *   (b) first load, in fresh signed-in contexts with the cache off: bytes received (Chrome's
 *       network events) and navigation → the first chart drawn with data (performance.now()).
 *   (c) memory: the console process's RSS idle, then with 10 simulated browsers (plain HTTP: each
 *       holds the run's event stream and fetches the charts every 5 s, as the page does) for
 *       --minutes (default 5), sampled every 30 s.
 * Figures only: a missed target is printed, not thrown; the exit code is 1 only when something
 * could not be measured.
 */
import { readFileSync, readdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { gzipSync } from 'node:zlib';
import { startNativeLab, type NativeLab } from '@firedrill/lab-infra';
import {
  launchChromium,
  measureFirstLoad,
  pagedAlerts,
  recordTitles,
  signedInContext,
  titlesSoFar,
  type FirstLoad,
  type TitleChange,
} from './lib/console-browser.ts';
import { heapUsedMiB, residentMiB, signInToConsole, simulateBrowser } from './lib/console-sessions.ts';
import { percentile } from './lib/stats.ts';

const targets = { pageS: 2, firstLoadKB: 300, firstChartS: 1.5 };
const sessions = 10;
const sampleEveryMs = 30_000;
const repoRoot = path.resolve(import.meta.dirname, '..');

function minutesFlag(): number {
  const at = process.argv.indexOf('--minutes');
  if (at === -1) return 5;
  const minutes = Number(process.argv[at + 1]);
  if (!(minutes > 0 && minutes <= 60)) throw new Error(`--minutes takes a number of minutes up to 60 (0.5 for a smoke run), not ${process.argv[at + 1]}`);
  return minutes;
}

/** A training API call as the holder of `token`. */
async function training<T>(lab: NativeLab, token: string, method: string, route: string, body?: unknown): Promise<T> {
  const response = await fetch(`${lab.url('training')}${route}`, {
    method,
    headers: { authorization: `Bearer ${token}`, 'x-firedrill-actor': 'bench', ...(body !== undefined && { 'content-type': 'application/json' }) },
    ...(body !== undefined && { body: JSON.stringify(body) }),
  });
  if (!response.ok) throw new Error(`${method} ${route}: ${response.status} ${await response.text()}`);
  return (await response.json()) as T;
}

async function injectFault(lab: NativeLab, fault: Record<string, unknown>): Promise<string> {
  const response = await lab.chaos('POST', '/api/faults', { for: '5m', ...fault });
  if (response.status !== 201) throw new Error(`inject ${JSON.stringify(fault)}: ${response.status} ${await response.text()}`);
  return ((await response.json()) as { id: string }).id;
}

interface ChaosAlert {
  alertname: string;
  status: string;
  firedAt: string;
  receivedAt: string;
}

interface PageSample {
  alertname: string;
  /** Webhook received → the run's alert.fired event → the title naming it, ms. */
  toEventMs: number | undefined;
  toTitleMs: number;
}

/**
 * Follows the chaos controller's alerts and the page's titles: each alert received after `since`
 * whose name the title did not already show is one sample, once the title names it (or a miss
 * after 30 s).
 */
function createPageSampler(lab: NativeLab, instructorToken: string, runId: string, since: number) {
  const samples: PageSample[] = [];
  const misses: string[] = [];
  let alreadyShown = 0;
  const pending = new Map<string, ChaosAlert>();
  const done = new Set<string>();
  return {
    samples,
    misses,
    alreadyShown: () => alreadyShown,
    async collect(titles: readonly TitleChange[]): Promise<PageSample[]> {
      const { alerts } = (await (await fetch(`${lab.url('chaos')}/api/alerts?limit=50`)).json()) as { alerts: ChaosAlert[] };
      for (const alert of alerts) {
        const key = `${alert.alertname}|${alert.firedAt}`;
        if (Date.parse(alert.receivedAt) >= since && !done.has(key)) pending.set(key, alert);
      }
      const fresh: PageSample[] = [];
      if (pending.size === 0) return fresh;
      const { events } = await training<{ events: Array<{ at: string; kind: string; data: { alertname?: string; firedAt?: string } }> }>(
        lab,
        instructorToken,
        'GET',
        `/api/runs/${runId}/events?after=0`,
      );
      for (const [key, alert] of pending) {
        const received = Date.parse(alert.receivedAt);
        const before = titles.filter((t) => t.at <= received).at(-1);
        if (before && pagedAlerts(before.title).includes(alert.alertname)) {
          alreadyShown++;
        } else {
          const shown = titles.find((t) => t.at > received && pagedAlerts(t.title).includes(alert.alertname));
          if (!shown) {
            if (Date.now() - received > 30_000) {
              misses.push(`${alert.alertname} (received ${alert.receivedAt}) not on the page after 30 s`);
              done.add(key);
              pending.delete(key);
            }
            continue;
          }
          const event = events.find((e) => e.kind === 'alert.fired' && e.data.alertname === alert.alertname && e.data.firedAt === alert.firedAt);
          const sample = { alertname: alert.alertname, toEventMs: event ? Date.parse(event.at) - received : undefined, toTitleMs: shown.at - received };
          samples.push(sample);
          fresh.push(sample);
        }
        done.add(key);
        pending.delete(key);
      }
      return fresh;
    },
  };
}

/** The built page's files and their gzip sizes (the console serves them as they are; a proxy or a later middleware may compress). */
function builtPageSizes(): { files: number; bytes: number; gzipBytes: number } {
  const webDir = path.join(repoRoot, 'console', 'dist', 'web');
  const files = ['index.html', ...readdirSync(path.join(webDir, 'assets')).map((f) => path.join('assets', f))];
  let bytes = 0;
  let gzipBytes = 0;
  for (const file of files) {
    const content = readFileSync(path.join(webDir, file));
    bytes += content.length;
    gzipBytes += gzipSync(content).length;
  }
  return { files: files.length, bytes, gzipBytes };
}

const kb = (bytes: number) => (bytes / 1024).toFixed(1);
const s = (ms: number | undefined) => (ms === undefined ? '?' : (ms / 1000).toFixed(2));
const mark = (ok: boolean) => (ok ? 'met' : 'MISSED');

const minutes = minutesFlag();
console.log(
  `Firedrill console benchmark — ${os.cpus().length} cores, Node ${process.versions.node}; a fresh native lab, Lab 1 live for team blue, ${sessions} simulated browsers for ${minutes} min`,
);
const failures: string[] = [];
const lab = await startNativeLab();
const browser = await launchChromium().catch(async (err: Error) => {
  await lab.down();
  throw err;
});
let runId: string | undefined;
try {
  const consoleUrl = lab.url('console');
  const consolePid = (JSON.parse(readFileSync(path.join(lab.stateDir, 'lab.json'), 'utf8')) as { processes: Record<string, number> }).processes.console;
  if (!consolePid) throw new Error('lab.json names no console process');
  await sleep(5000);
  const idleAtStartMiB = residentMiB(consolePid);
  console.log(
    `lab up: console ${consoleUrl} (pid ${consolePid}), RSS idle ${idleAtStartMiB.toFixed(1)} MiB, heap used ${(await heapUsedMiB(consoleUrl)).toFixed(1)} MiB`,
  );

  const instructor = lab.instructorToken;
  await training(lab, instructor, 'POST', '/api/teams', { name: 'blue' });
  const { token: trainee } = await training<{ token: string }>(lab, instructor, 'POST', '/api/trainees', { name: 'grace', team: 'blue' });
  runId = (await training<{ id: string }>(lab, instructor, 'POST', '/api/runs', { scenario: 'lab1-high-latency', team: 'blue', seed: 1 })).id;
  console.log(`run ${runId} of lab1-high-latency started for team blue (k6 load from now; the steady-state gate first)`);

  // (b) First load, while the run warms up under load.
  console.log('\n(b) first load, signed in as trainee grace, fresh context and cache off each time');
  const loads: FirstLoad[] = [];
  for (let i = 0; i < 3; i++) {
    const load = await measureFirstLoad(browser, consoleUrl, trainee);
    loads.push(load);
    console.log(
      `  load ${i + 1}: ${kb(load.bytes)} KB received in ${load.requests} requests (page files ${kb(load.pageBytes)} KB); first chart drawn with data ${s(load.firstChartMs)} s`,
    );
  }
  const built = builtPageSizes();
  console.log(`  the built page: ${built.files} files, ${kb(built.bytes)} KB as served (the console does not compress), ${kb(built.gzipBytes)} KB gzipped`);

  for (let waited = 0; ; waited += 2000) {
    const status = await training<{ state: string }>(lab, instructor, 'GET', `/api/runs/${runId}/status`);
    if (status.state === 'live') break;
    if (status.state !== 'warming' || waited > 180_000) throw new Error(`run ${runId} did not go live: ${status.state}`);
    await sleep(2000);
  }
  console.log(`\nrun live; (a) alert → page, trainee grace's page open in chromium`);

  // (a) Alert → page.
  const context = await signedInContext(browser, consoleUrl, trainee);
  const page = await context.newPage();
  await page.goto(consoleUrl);
  await page.getByText(`Run ${runId}`).first().waitFor({ timeout: 30_000 });
  await recordTitles(page);
  const sampler = createPageSampler(lab, instructor, runId, Date.now());
  const follow = async (untilMs: number, enough: () => boolean) => {
    while (Date.now() < untilMs && !enough()) {
      for (const sample of await sampler.collect(await titlesSoFar(page)))
        console.log(`  ${sample.alertname}: webhook → event ${s(sample.toEventMs)} s, webhook → page ${s(sample.toTitleMs)} s`);
      await sleep(1000);
    }
  };
  // Faults of the bench's own, each firing alerts Lab 1 does not: more samples within one run.
  const faults = [
    { family: 'errors', target: 'api', rate: 0.5, status: 500 },
    { family: 'payment-failures', mode: 'gateway-error', rate: 0.8 },
    { family: 'payment-failures', mode: 'declined', rate: 0.8 },
  ];
  for (const fault of faults) {
    const before = sampler.samples.length;
    const id = await injectFault(lab, fault);
    console.log(`  injected ${fault.family} (${'mode' in fault ? fault.mode : fault.target})`);
    await follow(Date.now() + 150_000, () => sampler.samples.length > before);
    // Let the alerts the same fault raises a little later (burn rates) arrive too.
    await follow(Date.now() + 20_000, () => false);
    await lab.chaos('DELETE', `/api/faults/${id}`);
  }
  // Lab 1's own alert, if it has not fired yet (its release lands 1–5 min into the live phase).
  await follow(Date.now() + 6 * 60_000, () => sampler.samples.some((x) => x.alertname === 'ApiHighLatencyP95'));
  await follow(Date.now() + 5_000, () => false);
  await context.close();

  // (c) Memory with simulated browsers.
  console.log(`\n(c) memory of the console process, ${sessions} simulated browsers for ${minutes} min`);
  const idleBeforeMiB = residentMiB(consolePid);
  console.log(`  idle (browsers closed): RSS ${idleBeforeMiB.toFixed(1)} MiB, heap used ${(await heapUsedMiB(consoleUrl)).toFixed(1)} MiB`);
  const cookies = await Promise.all(Array.from({ length: sessions }, () => signInToConsole(consoleUrl, trainee)));
  const stop = new AbortController();
  const simulated = cookies.map((cookie) => simulateBrowser(consoleUrl, cookie, runId!, stop.signal));
  const rss: number[] = [];
  const heap: number[] = [];
  const startedAt = Date.now();
  const endAt = startedAt + minutes * 60_000;
  while (Date.now() < endAt) {
    await sleep(Math.min(sampleEveryMs, endAt - Date.now()));
    const mib = residentMiB(consolePid);
    const heapMiB = await heapUsedMiB(consoleUrl);
    rss.push(mib);
    heap.push(heapMiB);
    console.log(`  ${((Date.now() - startedAt) / 1000).toFixed(0).padStart(4)} s: RSS ${mib.toFixed(1)} MiB, heap used ${heapMiB.toFixed(1)} MiB`);
  }
  stop.abort();
  const counts = await Promise.all(simulated);
  const sum = (pick: (c: (typeof counts)[number]) => number) => counts.reduce((n, c) => n + pick(c), 0);
  console.log(
    `  the ${sessions} browsers received ${sum((c) => c.events)} stream events and ${sum((c) => c.charts)} chart answers (${sum((c) => c.chartFailures)} not 200); ${sum((c) => c.reconnects)} stream reconnects`,
  );

  // Summary.
  const pageMs = sampler.samples.map((x) => x.toTitleMs);
  const firstLoadKB = Math.max(...loads.map((l) => l.bytes)) / 1024;
  const firstChartMs = percentile(
    loads.map((l) => l.firstChartMs),
    50,
  );
  console.log('\nSummary (a shared machine: other people’s work runs beside the lab)');
  if (pageMs.length === 0) failures.push('no alert reached the page while the bench watched');
  else
    console.log(
      `  alert → page: ${pageMs.length} samples, median ${s(percentile(pageMs, 50))} s, max ${s(Math.max(...pageMs))} s (target ≤ ${targets.pageS} s: ${mark(Math.max(...pageMs) <= targets.pageS * 1000)}); ${sampler.alreadyShown()} alert(s) already on the page by name, not counted`,
    );
  for (const miss of sampler.misses) console.log(`  MISSED: ${miss}`);
  console.log(
    `  first load: ${firstLoadKB.toFixed(1)} KB received, largest of ${loads.length}; the page's files ${kb(built.gzipBytes)} KB gzipped (target ≤ ${targets.firstLoadKB} KB compressed: ${mark(built.gzipBytes / 1024 <= targets.firstLoadKB && firstLoadKB <= targets.firstLoadKB)})`,
  );
  console.log(
    `  first chart: median ${s(firstChartMs)} s of ${loads.length} loads (target ≤ ${targets.firstChartS} s: ${mark(firstChartMs <= targets.firstChartS * 1000)})`,
  );
  console.log(
    `  console RSS: idle ${idleAtStartMiB.toFixed(1)} MiB at start, ${idleBeforeMiB.toFixed(1)} MiB before the sessions; with ${sessions} browsers median ${percentile(rss, 50).toFixed(1)} MiB, max ${Math.max(...rss).toFixed(1)} MiB, last ${rss.at(-1)?.toFixed(1)} MiB; heap used median ${percentile(heap, 50).toFixed(1)} MiB, last ${heap.at(-1)?.toFixed(1)} MiB (no target)`,
  );
} catch (err) {
  failures.push((err as Error).stack ?? String(err));
} finally {
  if (runId) await training(lab, lab.instructorToken, 'POST', `/api/runs/${runId}/stop`).catch(() => {});
  await browser.close();
  await lab.down();
}
for (const failure of failures) console.log(`could not measure: ${failure}`);
if (failures.length > 0) process.exitCode = 1;
