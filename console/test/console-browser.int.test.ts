/**
 * The console in a real browser (Debian's chromium driven by playwright-core) against the real
 * training process and a real Prometheus scraping the console itself: a trainee signs in, sees the
 * trainee view with a chart drawn from real data (the console's own request rate), and axe-core
 * finds no serious or critical accessibility violation on the sign-in page or the trainee view.
 * Screenshots of both go to test-output/console/. No shop and no run: the incident panel and
 * hints say there is none yet (a live run needs the shop, i.e. a native lab).
 *
 * Runs wherever a chromium is found (`npx lab setup`, which `npm test` runs first, installs it when
 * root on Debian); elsewhere, or with FIREDRILL_BROWSER_TESTS=0, it skips saying why.
 */
import os from 'node:os';
import { mkdtempSync, rmSync } from 'node:fs';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '@firedrill/kit';
import { freePort } from '@firedrill/lab-infra';
import { consoleConfigSchema, ensurePageBuilt, startConsole, type RunningConsole } from '../src/index.ts';
import { announceSkip, expectVisible, findChromium, launchChromium, repoRoot, screenshot, seriousViolations, watchPage } from './helpers/browser.ts';
import type { TestController } from '@firedrill/chaos/testing';
import { startScrapingPrometheus, type ScrapingPrometheus } from './helpers/prometheus-scraping.ts';
import { startTrainingForConsole, type TrainingForConsole } from './helpers/training-for-console.ts';

const chromiumFound = findChromium();
announceSkip('console-browser.int.test.ts', chromiumFound);

describe.skipIf(!chromiumFound.path)('the console in a browser', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'console-browser-'));
  let lab: TrainingForConsole;
  let prometheus: ScrapingPrometheus;
  let chaos: TestController;
  let consoleApp: RunningConsole;
  let browser: Browser;

  beforeAll(async () => {
    const page = ensurePageBuilt();
    if (page.error) throw new Error(`the console's page: ${page.error}`);
    // The repo's scenarios, so the instructor can launch one (it stays warming: there is no shop),
    // and a real chaos controller for the runs and the instructor's curveballs.
    lab = await startTrainingForConsole(dir, { scenariosDir: path.join(repoRoot, 'scenarios'), withChaos: true });
    chaos = lab.chaos!;
    // Prometheus scrapes the console itself: its request counter is the chart's real data.
    const consolePort = await freePort();
    prometheus = await startScrapingPrometheus(dir, [`127.0.0.1:${consolePort}`]);
    consoleApp = await startConsole(
      consoleConfigSchema.parse({ PORT: String(consolePort), TRAINING_URL: lab.training.url, PROMETHEUS_URL: prometheus.url, CHAOS_URL: chaos.url }),
      {
        logger: createLogger('console-browser-test', 'silent'),
      },
    );
    browser = await launchChromium(chromiumFound.path!);
  }, 90_000);

  afterAll(async () => {
    await browser?.close();
    await consoleApp?.close();
    await prometheus?.close();
    await lab?.training.close();
    await chaos?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('when a trainee signs in, then the trainee view shows, with real chart values, and axe-core finds nothing serious', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    const pageErrors: string[] = [];
    page.on('pageerror', (err) => pageErrors.push(err.message));
    await page.goto(consoleApp.url);
    await expectVisible(page.getByRole('heading', { name: 'Firedrill console' }));
    await screenshot(page, 'sign-in');
    expect(await seriousViolations(page), 'the sign-in page').toEqual([]);

    await page.getByLabel(/Your lab token/).fill(lab.tokens.trainee);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expectVisible(page.getByText('Signed in as'));
    expect(await page.locator('header').textContent()).toContain('trainee:grace (team blue)');
    await expectVisible(page.getByRole('heading', { name: 'Briefing' }));
    await expectVisible(page.getByText('No run for your team yet.'));
    await expectVisible(page.getByRole('heading', { name: 'Golden signals by service' }));
    await expectVisible(page.getByRole('heading', { name: 'Levers' }));

    // The request-rate chart: the console's own series, its latest value as text, a number > 0
    // once Prometheus has scraped the console twice within its 1 m rate window (the page
    // refreshes the chart every 5 s).
    const rate = page.locator('figure[data-chart="request-rate"] .latest');
    await expectVisible(rate.getByText('console', { exact: true }), 20_000);
    await expect
      .poll(async () => Number.parseFloat((await rate.locator('dd').first().textContent()) ?? ''), { timeout: 20_000, interval: 500 })
      .toBeGreaterThan(0);
    expect(await rate.locator('dd').first().textContent()).toMatch(/^\d+(\.\d)? req\/s$/);
    // …and it is what the chart route answers from Prometheus for the same session.
    const chart = (await (await page.request.get(`${consoleApp.url}/console/charts/request-rate`)).json()) as {
      series: Array<{ label: string; points: Array<[number, number]> }>;
    };
    expect(chart.series.map((s) => s.label)).toContain('console');
    expect(await page.locator('figure[data-chart="request-rate"] canvas').count()).toBeGreaterThan(0);

    // A lever asks first, saying what it does; cancelling pulls nothing.
    await page.getByRole('button', { name: /^Pull: restart api/ }).click();
    const dialog = page.getByRole('dialog', { name: /Pull: restart api/ });
    await expectVisible(dialog.getByText(/Stops api's process and starts it again/));
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    expect(await dialog.isVisible()).toBe(false);

    // The large-type toggle says its state in words and by aria-pressed.
    const toggle = page.getByRole('button', { name: /Large type/ });
    await toggle.click();
    expect(await toggle.getAttribute('aria-pressed')).toBe('true');
    // (Read through the DevTools protocol: waitForFunction's string predicate is eval'd in the page,
    // which the page's CSP forbids once it has to poll.)
    await expect.poll(() => page.locator('html').getAttribute('class'), { timeout: 5000 }).toContain('large-type');
    await toggle.click();

    await screenshot(page, 'trainee-view');
    expect(await seriousViolations(page), 'the trainee view').toEqual([]);
    expect(pageErrors).toEqual([]);
    await context.close();
  }, 60_000);

  it('when a trainee opens the saturation, SLO and runbook panels and the flag lever, then they show real values or say there are none, a runbook reads as text, and axe-core finds nothing serious', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    const pageErrors: string[] = [];
    page.on('pageerror', (err) => pageErrors.push(err.message));
    await page.goto(consoleApp.url);
    await page.getByLabel(/Your lab token/).fill(lab.tokens.trainee);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expectVisible(page.getByRole('heading', { name: 'Saturation by service' }));
    await expectVisible(page.getByRole('heading', { name: 'SLOs: error budgets' }));

    // Saturation: the console's own resident memory (a gauge, there from the first scrape), as text,
    // and one of the samples Prometheus holds for it (the console moves between scrapes, so not
    // "the latest": whichever the page read last).
    const memory = page.locator('figure[data-chart="memory"] .latest');
    await expectVisible(memory.getByText('console', { exact: true }), 20_000);
    const shown = (await memory.locator('dd').first().textContent()) ?? '';
    expect(shown).toMatch(/^\d+\.\d MiB$/);
    const raw = (await (
      await fetch(`${prometheus.url}/api/v1/query?query=${encodeURIComponent('process_resident_memory_bytes{service="console"}[15m]')}`)
    ).json()) as {
      data: { result: Array<{ values: Array<[number, string]> }> };
    };
    const held = (raw.data.result[0]?.values ?? []).map(([, v]) => `${(Number(v) / 1024 ** 2).toFixed(1)} MiB`);
    expect(held).toContain(shown);
    await expectVisible(page.locator('figure[data-chart="event-loop-lag"] .latest').getByText('console', { exact: true }));
    // No Postgres exporter and no SLO recording rules in this Prometheus: those charts say so, in words.
    await expectVisible(page.locator('figure[data-chart="postgres-connections"]').getByText('No data yet'));
    await expectVisible(page.locator('figure[data-chart="error-budget"]').getByText('No data yet'));
    await expectVisible(page.locator('figure[data-chart="burn-rate"] figcaption').getByText('Burn rate'));

    // Runbooks: open an executable one; its steps, its page's section as text, and its lever step
    // behind a confirmation that says what it pulls (cancelled: there is no shop here).
    const runbooks = page.getByRole('region', { name: 'Runbooks' });
    await runbooks.getByRole('button', { name: 'Roll back the api release whose memory climbs until it restarts' }).click();
    const opened = runbooks.locator('article.runbook');
    await expectVisible(opened.getByRole('heading', { name: 'Roll back the api release whose memory climbs until it restarts' }));
    expect(await page.evaluate('document.activeElement && document.activeElement.id')).toBe('runbook-open');
    const steps = opened.getByRole('list', { name: /^Steps of/ });
    expect(await steps.textContent()).toContain('roll back the api: lever rollback api');
    await expectVisible(opened.getByText(/section “Levers”/));
    await expectVisible(opened.locator('code', { hasText: 'rollback <service>' }));
    await opened.getByRole('button', { name: /^Run the step "roll back the api"/ }).click();
    const stepDialog = page.getByRole('dialog', { name: /Run the step "roll back the api"/ });
    await expectVisible(stepDialog.getByText(/This pulls the lever/));
    expect(await stepDialog.textContent()).toContain('rollback api');
    await stepDialog.getByRole('button', { name: 'Cancel' }).click();
    // A page of the playbook: Markdown headings as headings, nothing as HTML.
    await runbooks.getByRole('button', { name: 'Escalation paths' }).click();
    await expectVisible(opened.getByRole('heading', { name: 'Severities' }));
    expect(await opened.locator('script, iframe, img').count()).toBe(0);

    // The flag lever picks from the flags the training API has, with the values the flag takes.
    await page.getByLabel('Lever', { exact: true }).selectOption('flag');
    // (The flags load once the lever is picked.)
    await page.locator('#lever-flag option').first().waitFor({ state: 'attached', timeout: 10_000 });
    const flagNames = await page.locator('#lever-flag option').evaluateAll((options) => options.map((o) => (o as { value: string }).value));
    const flags = (await (await page.request.get(`${consoleApp.url}/api/flags`)).json()) as { flags: Record<string, boolean | number> };
    expect(flagNames).toEqual(Object.keys(flags.flags).sort());
    await page.getByLabel('Flag', { exact: true }).selectOption('api.degraded-mode');
    expect(await page.locator('#lever-value option').evaluateAll((options) => options.map((o) => (o as { value: string }).value))).toEqual(['true', 'false']);
    await expectVisible(page.getByRole('button', { name: /^Pull: flag api\.degraded-mode (true|false)/ }));

    await screenshot(page, 'trainee-panels');
    expect(await seriousViolations(page), 'the trainee view with its panels open').toEqual([]);
    expect(pageErrors).toEqual([]);
    await context.close();
  }, 60_000);

  it('when the instructor signs in, then the class, launch, runs, curveball, scoreboard and debrief show; a trainee is added with its token shown once; a curveball is injected and cleared', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    const pageErrors: string[] = [];
    page.on('pageerror', (err) => pageErrors.push(err.message));
    await page.goto(consoleApp.url);
    await page.getByLabel(/Your lab token/).fill(lab.tokens.instructor);
    await page.getByRole('button', { name: 'Sign in' }).click();
    for (const heading of ['Class', 'Launch a scenario', 'Runs', 'Curveball', 'Scoreboard', 'Debrief'])
      await expectVisible(page.getByRole('heading', { name: heading, exact: true }));
    // One shop (no class): no team picker, and no request names a team.
    expect(await page.locator('#team-pick').count()).toBe(0);

    // The class: team blue and its trainee grace (from the training API).
    const classRegion = page.getByRole('region', { name: 'Class' });
    await expectVisible(classRegion.getByRole('heading', { name: 'Team blue' }));
    await expectVisible(classRegion.getByText('grace', { exact: true }));
    await expectVisible(classRegion.getByRole('button', { name: 'Remove grace' }));

    // A new trainee: the token is shown once, works, and is gone from the page once hidden.
    await page.getByLabel("New trainee's name").fill('hopper');
    await page.getByLabel('in team').selectOption('blue');
    await page.getByRole('button', { name: 'Add the trainee' }).click();
    await expectVisible(page.getByText('hand this to the trainee; it is not shown again'));
    await expectVisible(page.getByRole('button', { name: 'Copy the token' }));
    const newToken = await page.getByLabel('Token', { exact: true }).inputValue();
    expect(newToken).toMatch(/^[A-Za-z0-9_-]{20,}$/);
    const whoami = (await (await fetch(`${lab.training.url}/api/whoami`, { headers: { authorization: `Bearer ${newToken}` } })).json()) as {
      actor: string;
      team: string;
    };
    expect(whoami).toMatchObject({ actor: 'trainee:hopper', team: 'blue' });
    await expectVisible(classRegion.getByText('hopper', { exact: true }));

    // A second team, then Lab 1 for every team: blue's run starts, red's is refused (one shop), said per team.
    await page.getByLabel("New team's name").fill('red');
    await page.getByRole('button', { name: 'Add the team' }).click();
    const runs = page.getByRole('region', { name: 'Runs' });
    await expectVisible(runs.getByRole('rowheader', { name: 'red' }));
    await expectVisible(runs.getByText('No run yet'));
    const launch = page.getByRole('region', { name: 'Launch a scenario' });
    await launch.getByLabel('Scenario', { exact: true }).selectOption('lab1-high-latency');
    await expectVisible(launch.getByText('Timebox'));
    await launch.getByLabel('for', { exact: true }).selectOption({ label: 'every team' });
    await launch.getByRole('button', { name: 'Launch', exact: true }).click();
    await expectVisible(launch.getByText(/^Team blue: started run /));
    await expectVisible(launch.getByText(/^Team red: REFUSED, another run is in progress/));
    const blueRow = runs.getByRole('row').filter({ has: page.getByRole('rowheader', { name: 'blue' }) });
    await expectVisible(blueRow.getByText('warming', { exact: true }));
    await expectVisible(blueRow.getByRole('button', { name: 'Pause', exact: true }));
    await expectVisible(blueRow.getByRole('button', { name: 'Extend 5 min', exact: true }));

    // A curveball: the confirmation says what it does; once injected it is listed (and real at the controller), then cleared.
    const curveball = page.getByRole('region', { name: 'Curveball' });
    await expectVisible(curveball.getByText('No fault active'));
    await curveball.getByLabel('Fault', { exact: true }).selectOption('errors');
    await curveball.getByLabel('on', { exact: true }).selectOption('payments');
    await curveball.getByLabel('rate', { exact: true }).fill('0.3');
    await curveball.getByLabel('Lasts').fill('2m');
    await curveball.getByRole('button', { name: /Review the fault/ }).click();
    const confirm = page.getByRole('dialog', { name: 'Inject this fault?' });
    await expectVisible(confirm.getByText(/^Inject errors on payments \(rate 0\.3\) for 2m: .* It reverts by itself after 2m/));
    await confirm.getByRole('button', { name: 'Inject it' }).click();
    await expectVisible(curveball.getByText(/ACTIVE/));
    const atController = (await (await fetch(`${chaos.url}/api/faults`, { headers: { authorization: `Bearer ${lab.tokens.instructor}` } })).json()) as {
      faults: Array<{ family: string; target: string; rate: number }>;
    };
    expect(atController.faults).toEqual([expect.objectContaining({ family: 'errors', target: 'payments', rate: 0.3 })]);
    await expectVisible(curveball.getByRole('button', { name: 'Halt everything' }));

    await expectVisible(page.getByRole('region', { name: 'Scoreboard' }));
    await screenshot(page, 'instructor-view');
    expect(await seriousViolations(page), 'the instructor view').toEqual([]);

    await curveball.getByRole('button', { name: 'Clear errors on payments' }).click();
    await expectVisible(curveball.getByText('No fault active'));

    // Stop blue's run (after a confirmation), debrief it: the scoreboard and the debrief view follow.
    await blueRow.getByRole('button', { name: 'Stop', exact: true }).click();
    await page.getByRole('dialog', { name: 'Stop' }).getByRole('button', { name: 'Stop the run' }).click();
    await expectVisible(blueRow.getByText('stopped', { exact: true }));
    await blueRow.getByRole('button', { name: 'Debrief', exact: true }).click();
    await page.getByRole('dialog', { name: 'Debrief' }).getByRole('button', { name: 'Debrief the run' }).click();
    const scoreboard = page.getByRole('region', { name: 'Scoreboard' });
    await expectVisible(scoreboard.getByText(/debriefed/));
    await expectVisible(scoreboard.getByRole('link', { name: /^Report of / }));
    const debrief = page.getByRole('region', { name: 'Debrief' });
    await debrief.getByLabel('Run to debrief').selectOption({ index: 1 });
    // The run's span on the charts, the curveball thrown during it marked on each and listed in words.
    const rateChart = debrief.locator('figure[data-chart="request-rate"]');
    await expectVisible(rateChart.getByText('Request rate by service'));
    const marks = rateChart.getByRole('list', { name: /marked moments/ });
    await expectVisible(marks.getByText(/curveball: errors on payments \(by instructor\)/));
    await expectVisible(marks.getByText(/curveball cleared/));
    expect(await rateChart.locator('canvas').count()).toBeGreaterThan(0);
    // Real data over the run's span: the console's own request rate, as text beside the chart.
    await expectVisible(rateChart.locator('.latest').getByText('console', { exact: true }), 20_000);
    expect(Number.parseFloat((await rateChart.locator('.latest dd').first().textContent()) ?? '')).toBeGreaterThan(0);
    const frame = debrief.getByTitle(/^Report of run /);
    await expectVisible(frame);
    const report = await page.request.get(`${consoleApp.url}${await frame.getAttribute('src')}`);
    expect([report.status(), report.headers()['content-type']]).toEqual([200, 'text/html; charset=utf-8']);
    const runId = (await frame.getAttribute('title'))!.replace('Report of run ', '');
    expect(await report.text()).toContain(`Run report ${runId}`);
    await expectVisible(debrief.frameLocator('iframe.report').getByText(runId));
    await screenshot(page, 'instructor-debrief');
    // Hidden, the token is nowhere in the page any more.
    await page.getByRole('button', { name: 'Done, hide it' }).click();
    expect(await page.content()).not.toContain(newToken);

    // Large type, for the projector: the view still passes axe.
    await page.getByRole('button', { name: /Large type/ }).click();
    await expect.poll(() => page.locator('html').getAttribute('class'), { timeout: 5000 }).toContain('large-type');
    expect(await seriousViolations(page), 'the instructor view in large type').toEqual([]);
    expect(pageErrors).toEqual([]);
    await context.close();
  }, 90_000);

  it("when the instructor signs in to a class's console, then a team picker shows one team's shop, and its charts, incident, flags and levers name the team picked", async () => {
    // The same training, Prometheus and chaos controller behind a console that serves a class of two teams.
    const classConsole = await startConsole(
      consoleConfigSchema.parse({ PORT: '0', TRAINING_URL: lab.training.url, PROMETHEUS_URL: prometheus.url, CHAOS_URL: chaos.url, CLASS_TEAMS: 'blue,red' }),
      { logger: createLogger('console-browser-test', 'silent') },
    );
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    try {
      const page = await context.newPage();
      const { pageErrors, answered } = watchPage(page);
      await page.goto(classConsole.url);
      await page.getByLabel(/Your lab token/).fill(lab.tokens.instructor);
      await page.getByRole('button', { name: 'Sign in' }).click();
      const panel = page.getByRole('region', { name: "Team blue's shop" });
      await expectVisible(panel);
      await panel.getByLabel('Team', { exact: true }).selectOption('red');
      const red = page.getByRole('region', { name: "Team red's shop" });
      await expectVisible(red.getByRole('heading', { name: 'Golden signals of team red' }));
      await red.getByLabel('Lever', { exact: true }).selectOption('flag');
      await expectVisible(red.getByLabel('Flag', { exact: true }));
      await red.getByLabel('Lever', { exact: true }).selectOption('restart');
      await red.getByRole('button', { name: /^Pull: restart api/ }).click();
      await page
        .getByRole('dialog', { name: /Pull: restart api/ })
        .getByRole('button', { name: 'Pull the lever' })
        .click();
      await expect.poll(() => answered.some((a) => a.method === 'POST' && a.path === '/api/levers'), { timeout: 10_000 }).toBe(true);

      const redCalls = answered.filter((a) => a.path.includes('team=red'));
      // The team's charts (answered by the console's chart route for that team) and flags, its incident (no run yet: 404 no_run_yet).
      expect(redCalls.filter((a) => a.path.startsWith('/console/charts/')).map((a) => a.status)).toContain(200);
      expect(redCalls.filter((a) => a.path.startsWith('/console/charts/')).every((a) => a.status === 200)).toBe(true);
      expect(redCalls.find((a) => a.path === '/api/flags?team=red')?.status).toBe(200);
      expect(redCalls.find((a) => a.path === '/api/incident/status?team=red')?.status).toBe(404);
      expect(JSON.parse(answered.find((a) => a.method === 'POST' && a.path === '/api/levers')!.body!)).toEqual({ lever: 'restart api', team: 'red' });
      // Blue's shop was asked for blue's only, before the pick.
      expect(answered.some((a) => a.path === '/api/incident/status?team=blue')).toBe(true);

      // A curveball in a class names the team whose shop it breaks. This test's controller is a
      // single lab's (its faults name no team), so its 409 is what the instructor reads.
      const curveball = page.getByRole('region', { name: 'Curveball' });
      await curveball.getByLabel('Fault', { exact: true }).selectOption('worker-death');
      await curveball.getByLabel('for team').selectOption('red');
      await curveball.getByRole('button', { name: 'Review the fault…' }).click();
      const confirm = page.getByRole('dialog', { name: 'Inject this fault?' });
      await expectVisible(confirm.getByText(/^Inject worker-death on red's worker/));
      await confirm.getByRole('button', { name: 'Inject it' }).click();
      await expectVisible(curveball.getByText("Not injected: This lab runs one shop, no team's: a fault names no team (red given)"));
      const injected = answered.find((a) => a.method === 'POST' && a.path === '/chaos/api/faults')!;
      expect([injected.status, JSON.parse(injected.body!)]).toEqual([409, expect.objectContaining({ family: 'worker-death', team: 'red', target: 'worker' })]);
      expect(await seriousViolations(page), "the instructor view with a team's shop").toEqual([]);
      expect(pageErrors).toEqual([]);
    } finally {
      await context.close();
      await classConsole.close();
    }
  }, 60_000);

  it("when the operator signs in to a class's console, then it picks a team and the trainees' page is that team's: its run, charts, incident, hints and levers name it", async () => {
    const classConsole = await startConsole(
      consoleConfigSchema.parse({ PORT: '0', TRAINING_URL: lab.training.url, PROMETHEUS_URL: prometheus.url, CHAOS_URL: chaos.url, CLASS_TEAMS: 'blue,red' }),
      { logger: createLogger('console-browser-test', 'silent') },
    );
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const started = performance.now();
    try {
      const page = await context.newPage();
      const { pageErrors, answered } = watchPage(page);
      await page.goto(classConsole.url);
      await page.getByLabel(/Your lab token/).fill(lab.tokens.operator);
      await page.getByRole('button', { name: 'Sign in' }).click();
      const blue = page.getByRole('region', { name: "Team blue's shop" });
      await expectVisible(blue);
      await blue.getByLabel('Team', { exact: true }).selectOption('red');
      await expectVisible(page.getByRole('region', { name: "Team red's shop" }));
      await expectVisible(page.getByText('No run for team red yet.'));
      await expect.poll(() => answered.some((a) => a.path === '/api/hints?team=red'), { timeout: 10_000 }).toBe(true);
      await page.getByLabel('Lever', { exact: true }).selectOption('restart');
      await page.getByRole('button', { name: /^Pull: restart api/ }).click();
      await page
        .getByRole('dialog', { name: /Pull: restart api/ })
        .getByRole('button', { name: 'Pull the lever' })
        .click();
      await expect.poll(() => answered.some((a) => a.method === 'POST' && a.path === '/api/levers'), { timeout: 10_000 }).toBe(true);

      // Red's charts answered (the operator's go through the team it picked), its incident and hints asked for red (no run: 404).
      const redCharts = answered.filter((a) => a.path.startsWith('/console/charts/') && a.path.includes('team=red'));
      expect(redCharts.length).toBeGreaterThan(0);
      expect(redCharts.every((a) => a.status === 200)).toBe(true);
      expect(answered.find((a) => a.path === '/api/incident/status?team=red')?.status).toBe(404);
      expect(JSON.parse(answered.find((a) => a.method === 'POST' && a.path === '/api/levers')!.body!)).toEqual({ lever: 'restart api', team: 'red' });
      // No chart was asked for without a team (a class's operator has none of its own); no shell, no PIR.
      expect(answered.filter((a) => a.path.startsWith('/console/charts/') && !a.path.includes('team='))).toEqual([]);
      expect(await page.getByRole('region', { name: /terminal/i }).count()).toBe(0);
      // A runbook's step is run for the team picked: its record names red (this test's training is a
      // single lab's, which refuses a step naming a team with 400; the page says so and pulls no lever).
      const runbooks = page.getByRole('region', { name: 'Runbooks' });
      await runbooks.getByRole('button', { name: 'Roll back the api release whose memory climbs until it restarts' }).click();
      const steps = runbooks.locator('article.runbook').getByRole('list', { name: /^Steps of/ });
      expect(await steps.textContent()).toContain('roll back the api: lever rollback api');
      await steps.getByRole('button', { name: 'Run the step "roll back the api"' }).click();
      const confirmStep = page.getByRole('dialog', { name: /Run the step "roll back the api"/ });
      await expectVisible(confirmStep.getByText(/on team red's shop now, and records the step on team red's timeline/));
      await confirmStep.getByRole('button', { name: 'Pull rollback api' }).click();
      await expectVisible(page.getByText(/Runbook api-rollback, step "roll back the api": This lab runs one shop: a step names no team/));
      const stepRecords = answered.filter((a) => a.method === 'POST' && a.path === '/api/runbooks/steps');
      expect(stepRecords.map((a) => [a.status, JSON.parse(a.body!).team, JSON.parse(a.body!).status])).toEqual([
        [400, 'red', 'started'],
        [400, 'red', 'failed'],
      ]);
      expect(answered.filter((a) => a.method === 'POST' && a.path === '/api/levers')).toHaveLength(1); // the levers panel's restart only
      expect(await seriousViolations(page), "the operator's page for a team").toEqual([]);
      expect(pageErrors).toEqual([]);
    } finally {
      await context.close();
      await classConsole.close();
      console.log(`the operator's class page: ${Math.round(performance.now() - started)} ms`);
    }
  }, 60_000);
});
