/**
 * Lab 2 (payment failures) worked by a scripted team, not the bot, through the real `lab` CLI on
 * a native lab of its own: the instructor adds team red (ada, bob) and starts the run for it; ada,
 * from a shell holding only her token, acknowledges the page, declares, assigns roles, promises an
 * update within a minute, then makes two deliberate mistakes — a needless worker restart and a late
 * second update — before failing over with the executable runbook, resolving, writing the PIR and
 * taking the quiz. The report must show each mistake as a deduction with its figure, and nothing
 * instructor-only to ada before the debrief.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { defaultQuizFile, loadQuiz } from '../../src/index.ts';
import type { RunReport } from '../../src/reports/report-schema.ts';
import { labShell, ok, type LabShell } from './helpers/lab-cli-as.ts';
import { nativeLabPerFile } from './helpers/native-lab-per-file.ts';
import { filledLab2Pir } from './helpers/pir-filled.ts';

const scenario = 'lab2-payment-failures';
const currentLab = nativeLabPerFile();

interface IncidentView {
  runId: string;
  runState: string;
  team: string | null;
  pages: Array<{ at: string; alertname: string }>;
  incident: { updates: Array<{ at: string; kind: string }> } | null;
}

/** What the test carries from one step to the next (the steps share one run). */
const story = {
  instructor: undefined as LabShell | undefined,
  ada: undefined as LabShell | undefined,
  adaToken: '',
  runId: '',
  work: mkdtempSync(path.join(os.tmpdir(), 'firedrill-team-')),
  log: [] as string[],
  /** The instructor's `lab scenario run … --json`, watching until the run ends. */
  watch: undefined as Promise<{ code: number; stdout: string; stderr: string }> | undefined,
};
const shell = (who: 'instructor' | 'ada'): LabShell => {
  const found = story[who];
  if (!found) throw new Error(`the ${who}'s shell is not set up (an earlier step failed)`);
  return found;
};
/** `lab <args>` that must succeed; its stdout, and a line in the story for failure messages. */
const lab = async (who: 'instructor' | 'ada', ...args: string[]): Promise<string> => {
  const out = ok(await shell(who).run(...args), args.join(' '));
  story.log.push(`${new Date().toISOString().slice(11, 19)} ${who}: lab ${args.join(' ')}`);
  return out;
};
const adaStatus = async (): Promise<IncidentView> => JSON.parse(await lab('ada', 'incident', 'status', '--json')) as IncidentView;
const report = async (who: 'instructor' | 'ada'): Promise<RunReport> => JSON.parse(await lab(who, 'report', story.runId, '--json')) as RunReport;

// One run told in steps: a retried step would find the run already past it.
describe(`${scenario} worked by a scripted team through the CLI`, { retry: 0 }, () => {
  it('when the instructor adds team red with ada and bob and starts the run for red, then the run is red’s and ada’s token makes her trainee:ada', async () => {
    const current = currentLab();
    story.instructor = labShell(current);
    await lab('instructor', 'teams', 'add', 'red');
    const adaAdded = await shell('instructor').run('trainees', 'add', 'ada', '--team', 'red');
    story.adaToken = ok(adaAdded, 'trainees add ada').trim();
    // The token alone on stdout, once; how to use it on stderr.
    expect(story.adaToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(adaAdded.stderr).toContain('FIREDRILL_TOKEN');
    expect((await lab('instructor', 'trainees', 'add', 'bob', '--team', 'red')).trim()).toMatch(/^[A-Za-z0-9_-]{43}$/);
    story.ada = labShell(current, story.adaToken);
    expect(JSON.parse(await lab('ada', 'whoami', '--json'))).toMatchObject({ role: 'trainee', actor: 'trainee:ada', team: 'red' });

    // The instructor's watch runs beside the team, as in class (a terminal left open).
    const watching = shell('instructor').start('scenario', 'run', scenario, '--team', 'red', '--json');
    const started = Date.now();
    while (!/run (run-[0-9a-f]+) started/.test(watching.stderrSoFar()) && Date.now() - started < 30_000) await sleep(200);
    story.runId = /run (run-[0-9a-f]+) started/.exec(watching.stderrSoFar())?.[1] ?? '';
    expect(story.runId, watching.stderrSoFar()).not.toBe('');
    story.watch = watching.done;
  }, 60_000);

  it('when ada is paged, then she acks, declares P1, assigns roles, updates late after a needless restart, fails over with the runbook, and resolves once the probes hold; a fault route refuses her', async () => {
    // Paged: the PaymentSuccessRateLow alert of the run.
    const pagedBy = Date.now() + 300_000;
    let status = await adaStatus().catch(() => undefined);
    while (!(status && status.pages.length > 0) && Date.now() < pagedBy) {
      await sleep(3_000);
      status = await adaStatus().catch(() => undefined);
    }
    expect(status, story.log.join('\n')).toMatchObject({ runId: story.runId, team: 'red', runState: 'live' });
    expect(status?.pages.map((p) => p.alertname)).toContain('PaymentSuccessRateLow');

    await lab('ada', 'incident', 'ack');
    await lab('ada', 'incident', 'declare', '--title', 'Payments are failing', '--severity', 'P1');
    await lab('ada', 'incident', 'role', 'ic', 'ada');
    await lab('ada', 'incident', 'role', 'comms', 'bob');
    const first = JSON.parse(
      await lab(
        'ada',
        'incident',
        'update',
        '--text',
        'Charges fail at checkout; investigating payments',
        '--impact',
        'about 40% of checkouts fail to pay',
        '--next',
        '1',
        '--json',
      ),
    ) as IncidentView;
    const firstUpdateAt = Date.parse(first.incident?.updates.at(-1)?.at ?? '');

    // Mistake 1: a restart of the healthy worker (payments' gateway is what fails).
    expect(await lab('ada', 'lever', 'restart', 'worker')).toContain('restarted worker');

    // A trainee at a fault route: refused, whether through the CLI or straight at the controller.
    const viaCli = await shell('ada').run('chaos', 'inject', 'latency', '--target', 'api', '--ms', '200');
    expect(viaCli.code, viaCli.stdout).not.toBe(0);
    expect(viaCli.stderr + viaCli.stdout).toMatch(/instructor token/);
    const direct = await fetch(`${currentLab().url('chaos')}/api/faults`, {
      method: 'POST',
      headers: { authorization: `Bearer ${story.adaToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ family: 'latency', target: 'api', ms: 200 }),
    });
    expect(direct.status).toBe(403);
    expect((await (await currentLab().chaos('GET', '/api/faults')).json()) as { faults: Array<{ family: string }> }).toMatchObject({
      faults: [expect.objectContaining({ family: 'payment-failures' })],
    });

    // The executable runbook, as ada: checks charges fail, fails over, verifies the recovery.
    expect(await lab('ada', 'runbook', 'run', 'payments-failover')).toContain('payments-failover: every step passed');

    // Mistake 2: the second update well after the minute promised.
    await sleep(Math.max(0, firstUpdateAt + 75_000 - Date.now()));
    await lab(
      'ada',
      'incident',
      'update',
      '--text',
      'Failed over to the secondary gateway; watching charges',
      '--impact',
      'charges recovering',
      '--next',
      '10',
    );

    // Mitigated once the run's probes hold: ada watches the run to its end.
    const watched = await shell('ada').run('scenario', 'watch', story.runId, '--json');
    const last = JSON.parse(watched.stdout.trim().split('\n').at(-1) ?? '{}') as { run?: { state: string; reason: string } };
    expect(last.run, `${watched.stderr}\n${story.log.join('\n')}`).toMatchObject({ state: 'resolved' });
    expect(watched.code).toBe(0);
    expect((await story.watch)?.code).toBe(0);

    await lab('ada', 'incident', 'mitigated');
    await lab('ada', 'incident', 'resolve', '--category', 'dependency-outage', '--summary', 'the primary card gateway timed out; failed over to the secondary');
    const resolved = JSON.parse(
      await lab(
        'ada',
        'incident',
        'update',
        '--kind',
        'resolution',
        '--text',
        'Resolved: payments run on the secondary gateway',
        '--impact',
        'about 40% of charges failed for two minutes; none since',
        '--json',
      ),
    ) as IncidentView & { status: string };
    expect(resolved).toMatchObject({ status: 'resolved', runId: story.runId });
  }, 480_000);

  it('when ada drafts the PIR, fills its TODO lines and checks it, then the check is clean and the submit is scored', async () => {
    const file = path.join(story.work, 'pir.md');
    expect(await lab('ada', 'pir', 'new', '--out', file)).toContain(`drafted from ${story.runId}`);
    const draft = readFileSync(file, 'utf8');
    expect(draft).toContain('TODO(team)');
    writeFileSync(file, filledLab2Pir(draft));

    const check = await shell('ada').run('pir', 'check', file);
    expect(check.code, check.stdout).toBe(0);
    expect(await lab('ada', 'pir', 'submit', file)).toMatch(new RegExp(`submitted for ${story.runId} as \\S+, score \\d+/100`));
  }, 60_000);

  it('when ada answers the quiz from a file with one answer wrong, then her printed score says so', async () => {
    const quiz = loadQuiz(defaultQuizFile);
    const wrong = quiz.questions.find((q) => q.type === 'single')!;
    // Every answer right but one: the key is the course's own file, so the test follows its edits.
    const answers = Object.fromEntries(quiz.questions.map((q) => [q.id, q === wrong ? (q.answer === 1 ? 2 : 1) : q.answer]));
    const file = path.join(story.work, 'answers.yaml');
    writeFileSync(
      file,
      Object.entries(answers)
        .map(([id, answer]) => `${id}: ${JSON.stringify(answer)}`)
        .join('\n'),
    );
    expect(parse(readFileSync(file, 'utf8'))).toEqual(answers);

    const printed = await lab('ada', 'quiz', '--answers', file);
    expect(printed).toContain(`ada: ${quiz.questions.length - 1}/${quiz.questions.length} correct`);
    expect(printed).toContain(`wrong: ${wrong.text}`);
  }, 60_000);

  it('when ada reads the report before the debrief, then there is no grade, no answer key and no instructor-only event', async () => {
    const seen = await report('ada');
    expect(seen.viewer).toEqual({ role: 'trainee', seesEverything: false });
    expect(seen.grade).toBeNull();
    expect(seen.answer).toBeNull();
    expect(seen.gradeWithheld).toBeTruthy();
    expect(seen.timeline.filter((e) => e.visibility !== 'everyone' || /^(fault\.|cause\.|access\.)/.test(e.kind))).toEqual([]);
    expect(seen.timeline.map((e) => e.kind)).toEqual(expect.arrayContaining(['incident.acknowledged', 'incident.declared', 'lever.applied']));
    expect(JSON.stringify(seen)).not.toContain('40% of charges; the secondary gateway is healthy'); // the answer key's root cause
  }, 60_000);

  it('when the instructor holds the debrief, then the report grades every part and shows each mistake as a deduction with its figure', async () => {
    expect(await lab('instructor', 'debrief', story.runId)).toContain(`run ${story.runId} debriefed`);
    const graded = await report('instructor');
    const grade = graded.grade;
    expect(grade, graded.gradeWithheld ?? '').not.toBeNull();
    if (!grade) return;
    const context = JSON.stringify(grade.score, null, 2);

    for (const time of ['detect', 'acknowledge', 'mitigate', 'resolve'] as const)
      expect(grade.times[time].ms, `${time}\n${context}`).toEqual(expect.any(Number));
    expect(grade.mitigatedBy).toBe('trainees');
    expect(grade.severity).toMatchObject({ final: 'P1', expected: 'P1' });
    expect(grade.rootCause).toMatchObject({ named: 'dependency-outage', correct: true });

    // Mistake 1: the restart of the healthy worker, a collateral deduction with its figure and reason.
    expect(grade.collateral).toEqual([expect.objectContaining({ lever: 'restart worker', component: 'worker', actor: 'trainee:ada' })]);
    const collateral = grade.score.deductions.find((d) => d.part === 'collateral');
    expect(collateral, context).toMatchObject({
      figure: expect.stringMatching(/^restart worker on healthy worker; (\d+ orders failed|orders failed unknown)$/),
    });
    expect(collateral!.points).toBeLessThanOrEqual(-5);
    expect(collateral!.reason).toMatch(/needless lever/);

    // Mistake 2: the late update, the cadence rule missed, its gap the figure of the points lost.
    const cadence = grade.communication.rules.find((r) => r.rule === 'update-cadence');
    expect(cadence, context).toMatchObject({ passed: false, detail: expect.stringMatching(/^update 1 promised the next in 1m; it came 1m\d+s later$/) });
    expect(grade.communication.longestGapMs).toBeGreaterThan(60_000);
    const comms = grade.score.parts.find((p) => p.part === 'communication')!;
    expect(comms.points, context).toBeLessThan(comms.max!);
    expect(comms.figure).toMatch(/^2 of 3 rules kept; longest gap after a promise 1m\d+s$/);
    expect(comms.reason).toContain(`missed: ${cadence!.detail}`);

    expect(grade.pir).toMatchObject({ score: expect.any(Number) });
    expect(grade.score.parts.find((p) => p.part === 'pir')?.points).toBeGreaterThan(0);
    expect(grade.quiz).toEqual([{ trainee: 'ada', correct: expect.any(Number), total: expect.any(Number) }]);
    expect(grade.quiz[0]!.total - grade.quiz[0]!.correct).toBe(1);
    for (const line of [...grade.score.parts, ...grade.score.deductions]) expect(line.reason, line.part).not.toBe('');
    expect(grade.score.total).toBeLessThan(100);

    // The instructor's timeline has what ada could not see: the fault, its cause and her refused attempt.
    const kinds = graded.timeline.map((e) => e.kind);
    expect(kinds).toEqual(expect.arrayContaining(['fault.injected', 'cause.started', 'cause.ended', 'access.refused', 'pir.submitted']));
    expect(graded.answer).toMatchObject({ severity: 'P1', category: 'dependency-outage' });
  }, 60_000);

  it('when the report is written as HTML, then it is one self-contained page with the graded timeline', async () => {
    const file = path.join(story.work, 'report.html');
    await lab('instructor', 'report', story.runId, '--html', '--out', file);
    const html = readFileSync(file, 'utf8');
    expect(html).not.toMatch(/(src|href)\s*=\s*["']?https?:/i);
    for (const entry of ['page acknowledged', 'incident declared: Payments are failing (P1)', 'lever: restart worker', 'restart worker on healthy worker'])
      expect(html).toContain(entry);
  }, 60_000);
});
