/**
 * Lab 1 (a payments release adds ~500 ms to each checkout) run entirely from two browsers on a
 * native lab of its own (`lab up` starts the console with everything else): the instructor
 * launches the scenario for team red; ada, red's trainee, is paged when ApiHighLatencyP95 fires,
 * acknowledges, declares, posts an update from a template, rolls payments back through the levers
 * (confirming), marks the incident mitigated and resolves it; the run resolves; the instructor
 * holds the debrief; ada writes the PIR, checks it, submits it and reads her report; the instructor
 * sees the run's timeline and the scoreboard. Beside the story: ada's browser gets 403 from
 * instructor routes, never receives instructor data before the debrief (every JSON answer and
 * every server-sent event it got is recorded), and a cross-site POST is refused. axe-core on every
 * page visited; a screenshot of each into test-output/console/.
 *
 * It waits on the lab's own record (the run's state and events through the training API) and on
 * what the page shows, never on a fixed sleep. Skips, saying why, where no chromium is found.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { nativeLabPerFile } from '@firedrill/lab-infra/testing';
import { announceSkip, expectVisible, findChromium, launchChromium, screenshot, seriousViolations } from './helpers/browser.ts';
import { filledLab1Pir } from './helpers/lab1-pir.ts';
import { labTrainingApi } from './helpers/lab-training-api.ts';

const scenario = 'lab1-high-latency';
const alertName = 'ApiHighLatencyP95';
/** What only the instructor may see before the debrief (event-store.ts marks them instructor-only). */
const instructorOnlyKinds = /^(fault\.|cause\.|access\.|identity\.)/;
/** The scenario's answer key (scenarios/lab1-high-latency/scenario.yaml): never shown to a trainee before the debrief. */
const answerKeyText = 'scores every charge for fraud synchronously';

const chromiumFound = findChromium();
announceSkip('console-lab1.int.test.ts', chromiumFound);

/** What the steps share (one run told in steps: a retried step would find the run past it). */
const story = {
  runId: '',
  adaToken: '',
  browser: undefined as Browser | undefined,
  instructor: undefined as Page | undefined,
  ada: undefined as Page | undefined,
  adaContext: undefined as BrowserContext | undefined,
  /** Every JSON body and server-sent event ada's browser received while recording. */
  adaReceived: [] as Array<{ url: string; body: string }>,
  recording: true,
  failedStep: '',
  pageErrors: [] as string[],
};
const pageOf = (who: 'instructor' | 'ada'): Page => {
  const page = story[who];
  if (!page) throw new Error(`${who}'s browser is not open (an earlier step failed)`);
  return page;
};

describe.skipIf(!chromiumFound.path)(`${scenario} from two browsers (instructor and trainee)`, { retry: 0 }, () => {
  const currentLab = nativeLabPerFile();

  beforeAll(async () => {
    story.browser = await launchChromium(chromiumFound.path!);
  }, 60_000);

  // One story: once a step failed, the later ones would only fail after it (and wait for it), so they skip naming it.
  beforeEach(({ skip, onTestFailed, task }) => {
    if (story.failedStep) skip(`an earlier step failed: ${story.failedStep}`);
    onTestFailed(() => {
      story.failedStep = task.name;
    });
  });

  afterAll(async () => {
    // A failed test must not leave its run going while the lab comes down.
    if (story.runId)
      await labTrainingApi(currentLab())
        .call('POST', `/api/runs/${story.runId}/stop`)
        .catch(() => {});
    await story.browser?.close();
  }, 60_000);

  it('when the instructor signs in, adds team red and its trainee ada, and launches Lab 1 for red, then the run is red’s and the instructor view passes axe-core', async () => {
    const lab = currentLab();
    const api = labTrainingApi(lab);
    const instructor = await newPage('instructor');
    await instructor.goto(lab.url('console'));
    await expectVisible(instructor.getByRole('heading', { name: 'Firedrill console' }));
    await screenshot(instructor, 'sign-in');
    expect(await seriousViolations(instructor), 'the sign-in page').toEqual([]);
    await signIn(instructor, lab.instructorToken);
    expect(await instructor.locator('header').textContent()).toContain('instructor');

    const classPanel = instructor.getByRole('region', { name: 'Class' });
    await classPanel.getByLabel("New team's name").fill('red');
    await classPanel.getByRole('button', { name: 'Add the team' }).click();
    await expectVisible(classPanel.getByRole('heading', { name: 'Team red' }));
    await classPanel.getByLabel("New trainee's name").fill('ada');
    await classPanel.getByLabel('in team').selectOption('red');
    await classPanel.getByRole('button', { name: 'Add the trainee' }).click();
    // The token is shown once, in the page: what the instructor hands to ada.
    const token = classPanel.getByLabel('Token', { exact: true });
    await expectVisible(token);
    story.adaToken = await token.inputValue();
    expect(story.adaToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
    await classPanel.getByRole('button', { name: 'Done, hide it' }).click();

    const launch = instructor.getByRole('region', { name: 'Launch a scenario' });
    await launch.getByLabel('Scenario', { exact: true }).selectOption(scenario);
    await launch.getByLabel('for', { exact: true }).selectOption('red');
    await launch.getByRole('button', { name: 'Launch' }).click();
    const run = await waitForValue('the launched run', async () => (await api.runs()).find((r) => r.scenario === scenario), 30_000);
    story.runId = run.id;
    expect(run.team).toBe('red');
    await expectVisible(launch.getByText(new RegExp(run.id)), 15_000);
    await expectVisible(instructor.getByRole('region', { name: 'Runs' }).getByRole('row', { name: /^red/ }), 15_000);
    await screenshot(instructor, 'instructor-runs');
    expect(await seriousViolations(instructor), 'the instructor view').toEqual([]);
  }, 120_000);

  it('when the lab’s alert fires, then ada’s page pages her: the title changes and the alert region names ApiHighLatencyP95', async () => {
    const lab = currentLab();
    const api = labTrainingApi(lab);
    const ada = await newPage('ada');
    await ada.goto(lab.url('console'));
    await signIn(ada, story.adaToken);
    expect(await ada.locator('header').textContent()).toContain('trainee:ada (team red)');
    await expectVisible(ada.getByRole('heading', { name: 'Briefing: Checkout is slow' }));

    // The lab's record first: the alert fired for this run (the scenario deploys at 30 s, then
    // Prometheus' 1-minute windows and the alert's `for`: a few minutes on a busy 2-core box).
    const fired = await api.waitForEvent(story.runId, (e) => e.kind === 'alert.fired' && e.data.alertname === alertName, 420_000);
    // …then the page: the tab's title and the alerts region (pushed by the console's stream).
    // (page.title() through the DevTools protocol: a string predicate would be eval'd, which the page's CSP forbids.)
    await expect.poll(() => ada.title(), { timeout: 60_000, interval: 500 }).toContain(`FIRING: ${alertName}`);
    const alerts = ada.getByRole('region', { name: /Alerts firing/ });
    await expectVisible(alerts.getByText(`FIRING: ${alertName}`), 30_000);
    // The incident panel lists the page the pager sent.
    await expectVisible(ada.getByRole('list', { name: 'Pages' }).getByText(new RegExp(`Paged .*: ${alertName}`)), 30_000);
    expect(Date.parse(fired.at)).toBeGreaterThan(0);
  }, 480_000);

  it('when ada acks, declares, posts an update from a template, rolls payments back, mitigates and resolves, then the lab records each as hers and the run resolves', async () => {
    const lab = currentLab();
    const api = labTrainingApi(lab);
    const ada = pageOf('ada');
    const incident = ada.getByRole('region', { name: 'Incident' });

    await incident.getByRole('button', { name: 'Acknowledge the page' }).click();
    await expectVisible(incident.getByText(/Acknowledged by trainee:ada/));

    await incident.getByLabel('Title (what customers feel)').fill('Checkout is slow');
    await incident.getByLabel('Severity', { exact: true }).selectOption('P2');
    await incident.getByRole('button', { name: 'Declare' }).click();
    await expectVisible(incident.getByText('Status: Declared · P2 · Checkout is slow'));

    // The acknowledgement update, started from the API's own template and its placeholders filled.
    await incident.getByLabel('Template').selectOption('ack');
    await incident.getByRole('button', { name: 'Start from the template' }).click();
    const text = incident.getByLabel('Update text');
    const template = await text.inputValue();
    expect(template).toContain('We are investigating <');
    await text.fill(
      template
        .replace(/<what customers notice[^>]*>/, 'slow checkout')
        .replace(/<who is affected[^>]*>/, 'every checkout takes about half a second longer')
        .replace(/<name>/, 'ada')
        .replace(/<15>/, '15'),
    );
    expect(await text.inputValue()).not.toMatch(/<[^>]+>/);
    await incident.getByLabel('Impact (what customers feel now)').fill('checkout about 500 ms slower');
    await incident.getByLabel('Next update in (minutes)').fill('15');
    await incident.getByRole('button', { name: 'Post the update' }).click();
    await expectVisible(incident.getByRole('list', { name: 'Updates posted' }).getByText(/ack by trainee:ada: We are investigating slow checkout/));
    await expectVisible(incident.getByText(/Next update due in 1[45]:/));

    await screenshot(ada, 'trainee-incident');
    expect(await seriousViolations(ada), 'the trainee view during the incident').toEqual([]);

    // The lever, behind its confirmation saying what it will do.
    const levers = ada.getByRole('region', { name: 'Levers' });
    await levers.getByLabel('Lever', { exact: true }).selectOption({ label: 'Roll back a release' });
    await levers.getByLabel('Service').selectOption('payments');
    await levers.getByRole('button', { name: /^Pull: rollback payments/ }).click();
    const dialog = ada.getByRole('dialog', { name: /Pull: rollback payments/ });
    await expectVisible(dialog.getByText(/Deploys payments's previous release/));
    await dialog.getByRole('button', { name: 'Pull the lever' }).click();
    const rolledBack = await api.waitForEvent(story.runId, (e) => e.kind === 'lever.applied' && e.data.lever === 'rollback payments', 60_000);
    expect(rolledBack.actor).toBe('trainee:ada');
    await expectVisible(ada.getByRole('status').getByText(/^rollback payments: /));

    await incident.getByRole('button', { name: /Mark mitigated/ }).click();
    await expectVisible(incident.getByText(/Mitigated at .* by trainee:ada/));
    await incident.getByLabel('Root-cause category').selectOption('bad-release');
    await incident.getByLabel('What happened and what fixed it').fill('payments 2.4.0 added a synchronous fraud check to every charge; rolled back');
    await incident.getByRole('button', { name: 'Resolve' }).click();
    await expectVisible(incident.getByText(/Resolved at .* \(bad-release\)/));

    // The run ends once the rollback ended the cause and the steady state held.
    await api.waitForEvent(story.runId, (e) => e.kind === 'run.state' && !['warming', 'live'].includes(String(e.data.state)), 300_000);
    expect(await api.run(story.runId)).toMatchObject({ state: 'resolved' });
    await expectVisible(ada.getByText(new RegExp(`Run ${story.runId}: resolved`)), 30_000);
    await expectVisible(ada.getByText("Your report opens here after the instructor's debrief."), 30_000);

    const kinds = (await api.events(story.runId)).filter((e) => e.actor === 'trainee:ada').map((e) => e.kind);
    expect(kinds).toEqual(
      expect.arrayContaining(['incident.acknowledged', 'incident.declared', 'incident.update', 'lever.applied', 'incident.mitigated', 'incident.resolved']),
    );
  }, 420_000);

  it('when ada’s browser calls instructor routes, then they answer 403, and nothing it received before the debrief was instructor data', async () => {
    const ada = pageOf('ada');
    expect(await fetchFromPage(ada, 'GET', '/api/teams')).toMatchObject({ status: 403 });
    expect(await fetchFromPage(ada, 'GET', '/api/trainees')).toMatchObject({ status: 403 });
    expect(await fetchFromPage(ada, 'POST', `/api/runs/${story.runId}/debrief`, {})).toMatchObject({ status: 403 });
    expect(await fetchFromPage(ada, 'POST', '/api/runs', { scenario })).toMatchObject({ status: 403 });

    // Everything recorded: JSON answers and server-sent events (run events and status).
    const received = story.adaReceived;
    expect(received.some((r) => r.url.includes('/stream') && r.body.includes('incident.declared'))).toBe(true);
    expect(received.some((r) => r.url.includes('/api/incident/status'))).toBe(true);
    const leaks = received.filter(
      (r) => /"visibility":"instructor"/.test(r.body) || eventKinds(r.body).some((kind) => instructorOnlyKinds.test(kind)) || r.body.includes(answerKeyText),
    );
    expect(leaks.map((r) => `${r.url}: ${r.body.slice(0, 300)}`)).toEqual([]);
  }, 60_000);

  it('when a page of another origin posts to the console in ada’s browser, then the console refuses it and her session is unchanged', async () => {
    const lab = currentLab();
    const api = labTrainingApi(lab);
    const before = (await api.events(story.runId)).at(-1)?.id ?? 0;
    const attacker = await startCrossSitePages(lab.url('console'));
    try {
      const context = story.adaContext!;
      for (const form of ['sign-out', 'lever']) {
        const page = await context.newPage();
        const answered = page.waitForResponse((r) => r.url().startsWith(lab.url('console')) && r.request().method() === 'POST', { timeout: 15_000 });
        await page.goto(`${attacker.url}/${form}`);
        const response = await answered;
        expect(response.status(), form).toBe(403);
        expect(await response.json(), form).toMatchObject({ code: 'cross_site_request' });
        await page.close();
      }
    } finally {
      await attacker.close();
    }
    // Nothing changed: ada is still signed in, and no lever was pulled.
    expect(await fetchFromPage(pageOf('ada'), 'GET', '/console/session')).toMatchObject({ status: 200 });
    expect((await api.events(story.runId)).filter((e) => e.id > before && e.kind === 'lever.applied')).toEqual([]);
  }, 60_000);

  it('when the instructor holds the debrief, then the run is debriefed', async () => {
    const api = labTrainingApi(currentLab());
    story.recording = false; // from the debrief on, ada may see everything of her run
    const instructor = pageOf('instructor');
    const row = instructor.getByRole('region', { name: 'Runs' }).getByRole('row', { name: /^red/ });
    await row.getByRole('button', { name: 'Debrief' }).click({ timeout: 60_000 });
    const dialog = instructor.getByRole('dialog', { name: 'Debrief' });
    await expectVisible(dialog.getByText(`Debrief run ${story.runId}?`));
    await dialog.getByRole('button', { name: 'Debrief the run' }).click();
    const debriefedAt = async () =>
      (await api.call<{ run: { debriefedAt: string | null } }>('GET', `/api/runs/${story.runId}/report`)).body.run.debriefedAt ?? undefined;
    await waitForValue('the run debriefed', debriefedAt, 30_000);

    // Debrief mode: the run's charts with its fault and cause times marked, and the report.
    const debrief = instructor.getByRole('region', { name: 'Debrief' });
    await debrief.getByLabel('Run to debrief').selectOption(story.runId);
    await expectVisible(debrief.locator('.annotations li').first(), 30_000);
    expect(await debrief.locator('.annotations').first().textContent()).toMatch(/fault|cause/);
    // The charts drawn from Prometheus over the run's span (values as text), and the report framed.
    await expectVisible(debrief.locator('figure.chart dl.latest dd'), 30_000);
    await expectVisible(debrief.frameLocator('iframe.report').getByRole('heading', { name: new RegExp(story.runId) }), 30_000);
    await screenshot(instructor, 'instructor-debrief');
    expect(await seriousViolations(instructor), 'the instructor view after the debrief').toEqual([]);
  }, 60_000);

  it('when ada writes the PIR, checks it and submits it, then the findings show and her report has the score', async () => {
    const ada = pageOf('ada');
    const pir = ada.getByRole('region', { name: 'Post-incident review' });
    await expectVisible(pir.getByRole('button', { name: 'Check the PIR' }), 30_000);
    // The draft as it comes: the check's findings show beside their sections.
    await pir.getByRole('button', { name: 'Check the PIR' }).click();
    await expectVisible(pir.getByRole('status').getByText(/^Check: \d+ findings? beside their sections/));
    await expectVisible(pir.getByRole('list', { name: 'Findings' }).getByText(/To fix/));
    // The team fills in each section's TODO(team) lines.
    const boxes = pir.locator('textarea');
    for (let i = 0; i < (await boxes.count()); i++) {
      const box = boxes.nth(i);
      await box.fill(filledLab1Pir(await box.inputValue()));
    }
    await pir.getByRole('button', { name: 'Check the PIR' }).click();
    await expectVisible(pir.getByRole('status').getByText(/^Check: no findings, score \d+/));
    await pir.getByRole('button', { name: 'Submit the PIR' }).click();
    await expectVisible(pir.getByText(/^Submitted by trainee:ada at .*: score \d+/));
    const submitted = (await labTrainingApi(currentLab()).events(story.runId)).filter((e) => e.kind === 'pir.submitted');
    expect(submitted.map((e) => e.actor)).toEqual(['trainee:ada']);
    await screenshot(ada, 'trainee-pir');

    // The debrief makes no event of its own: a reload reads the report.
    await ada.reload();
    const report = ada.getByRole('region', { name: 'Report' });
    const score = await waitForValue(
      'the score in the report panel',
      async () => /Score: (\d+) \/ (\d+)/.exec((await report.textContent().catch(() => '')) ?? '') ?? undefined,
      30_000,
    );
    const graded = await labTrainingApi(currentLab()).call<{ grade: { score: { total: number; max: number } } | null }>(
      'GET',
      `/api/runs/${story.runId}/report`,
    );
    expect(graded.body.grade?.score).toMatchObject({ total: Number(score[1]), max: Number(score[2]) });
    await expectVisible(report.frameLocator('iframe').getByRole('heading', { name: new RegExp(story.runId) }), 30_000);
    await screenshot(ada, 'trainee-report');
    expect(await seriousViolations(ada), 'the trainee view with the report').toEqual([]);
  }, 120_000);

  it('when the instructor opens the run’s timeline, then it shows what ada did, and the scoreboard has team red’s score', async () => {
    const api = labTrainingApi(currentLab());
    const instructor = pageOf('instructor');
    // The scoreboard re-reads when a run ends or is debriefed, not when a PIR comes in after the
    // debrief (ada's raised the score): the instructor reloads, as in class.
    await instructor.reload();
    await instructor.getByRole('button', { name: `Timeline of run ${story.runId}` }).click();
    const timeline = instructor.getByRole('region', { name: `Timeline of run ${story.runId}` });
    for (const kind of ['incident.acknowledged', 'incident.declared', 'incident.update', 'lever.applied', 'incident.resolved', 'pir.submitted'])
      await expectVisible(timeline.locator('li', { hasText: kind }).filter({ hasText: '(trainee:ada)' }), 30_000);
    // The instructor sees what ada did not before the debrief: the fault's own events, marked.
    await expectVisible(timeline.locator('li.instructor-only', { hasText: 'cause.started' }), 30_000);
    // The scoreboard: team red with the run's score, the one the training API answers.
    const board = (await api.call<{ teams: Array<{ team: string | null; runs: Array<{ runId: string; score: number | null }> }> }>('GET', '/api/scoreboard'))
      .body;
    const score = board.teams.find((t) => t.team === 'red')?.runs.find((r) => r.runId === story.runId)?.score;
    expect(score).toEqual(expect.any(Number));
    const scoreboard = instructor.getByRole('region', { name: 'Scoreboard' });
    await expectVisible(scoreboard.getByRole('row', { name: /^red/ }).getByText(`score ${score}`), 30_000);
    await screenshot(instructor, 'instructor-timeline');
    expect(await seriousViolations(instructor), 'the instructor view with a timeline').toEqual([]);
    expect(story.pageErrors).toEqual([]);
  }, 60_000);
});

/** A browser window of its own (own cookies) for `who`; ada's records what it receives. */
async function newPage(who: 'instructor' | 'ada'): Promise<Page> {
  const context = await story.browser!.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  page.on('pageerror', (err) => story.pageErrors.push(`${who}: ${err.message}`));
  if (who === 'ada') {
    story.adaContext = context;
    // Server-sent events cannot be read from page.on('response') (the stream never ends): every
    // listener the page adds to an EventSource is wrapped to record what it is given. Added through
    // the DevTools protocol, so the page's CSP does not apply to it.
    await context.exposeFunction('firedrillSseReceived', (received: { url: string; body: string }) => {
      if (story.recording) story.adaReceived.push(received);
    });
    await context.addInitScript(`(() => {
      const add = EventSource.prototype.addEventListener;
      EventSource.prototype.addEventListener = function (type, listener, options) {
        const source = this;
        return add.call(this, type, function (event) {
          window.firedrillSseReceived({ url: source.url, body: type + ' ' + event.data });
          return listener.call(this, event);
        }, options);
      };
    })()`);
    context.on('response', (response) => {
      if (!story.recording || !(response.headers()['content-type'] ?? '').includes('json')) return;
      response.text().then(
        (body) => story.recording && story.adaReceived.push({ url: response.url(), body }),
        () => {},
      );
    });
  }
  story[who] = page;
  return page;
}

async function signIn(page: Page, token: string): Promise<void> {
  await page.getByLabel(/Your lab token/).fill(token);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expectVisible(page.getByText('Signed in as'));
}

/**
 * A call from inside the page through the console, as its own code makes it (same origin, the
 * session cookie, the CSRF token from GET /console/session, a fresh Idempotency-Key on writes).
 */
async function fetchFromPage(page: Page, method: string, route: string, body?: unknown): Promise<{ status: number; body: unknown }> {
  return page.evaluate(
    async ([method, route, body]) => {
      const session = (await (await fetch('/console/session')).json()) as { csrfToken?: string };
      const headers: Record<string, string> = { accept: 'application/json' };
      if (method !== 'GET') {
        headers['x-csrf-token'] = session.csrfToken ?? '';
        headers['idempotency-key'] = `console-e2e-${Math.random().toString(16).slice(2)}${Date.now()}`;
      }
      if (body !== undefined) headers['content-type'] = 'application/json';
      const response = await fetch(route, { method, headers, ...(body !== undefined && { body: JSON.stringify(body) }) });
      return { status: response.status, body: (await response.json().catch(() => null)) as unknown };
    },
    [method, route, body] as const,
  );
}

/** The event kinds named in a JSON body or a server-sent event's data. */
function eventKinds(body: string): string[] {
  return [...body.matchAll(/"kind":"([^"]+)"/g)].map((m) => m[1]!);
}

/**
 * Another origin (127.0.0.1 on another port: same site, other origin, so the SameSite cookie is
 * still sent and only the console's Origin check stands between) serving pages that post to the
 * console as soon as they load: a sign-out form, and a lever as text/plain JSON (a form can send that).
 */
async function startCrossSitePages(consoleUrl: string): Promise<{ url: string; close: () => Promise<void> }> {
  const forms: Record<string, string> = {
    'sign-out': `<form method="post" action="${consoleUrl}/console/sign-out"></form>`,
    lever: `<form method="post" enctype="text/plain" action="${consoleUrl}/api/levers"><input name='{"lever":"restart api","x":"' value='"}'></form>`,
  };
  const server: Server = createServer((req, res) => {
    const form = forms[(req.url ?? '').slice(1)];
    res.writeHead(form ? 200 : 404, { 'content-type': 'text/html' });
    res.end(form ? `<!doctype html><title>Win a prize</title>${form}<script>document.forms[0].submit()</script>` : 'not found');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** Polls `read` until it gives a value (the lab's own state), failing with `what` after `timeoutMs`. */
async function waitForValue<T>(what: string, read: () => Promise<T | undefined>, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`${what}: not there within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}
