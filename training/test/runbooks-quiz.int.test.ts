import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadQuiz, loadRunbook, opsApiLever, opsApiStepRecorder, planRunbook, runRunbook, runShellCommand, type OpsApiPost } from '../src/index.ts';
import { trainingUnderTest, type TrainingUnderTest } from './helpers/training-under-test.ts';

/**
 * Executable runbooks and the quiz against the real training process and real Postgres: a
 * runbook of a shell command and levers run by the runner library with the operator's token (its
 * steps land in the journal with the server's time, a failure rolls the lever back), and the quiz
 * routes storing attempts.
 */
const dir = mkdtempSync(path.join(os.tmpdir(), 'training-runbooks-'));
let lab: TrainingUnderTest;

beforeAll(async () => {
  lab = await trainingUnderTest('runbook');
});
afterAll(async () => {
  await lab?.close();
  rmSync(dir, { recursive: true, force: true });
});

const call: TrainingUnderTest['call'] = (...args) => lab.call(...args);
const eventsOf = async (kind: string) => (await call('GET', `/api/events?kind=${kind}&limit=1000`, 'instructor')).body.events as Array<Record<string, any>>;

/** The ops API as a runbook caller sees it: the operator's token, an answer that is not 2xx thrown. */
const operatorHttp: OpsApiPost = {
  async post<T>(route: string, body: unknown): Promise<T> {
    const answer = await call('POST', route, 'operator', body);
    if (answer.status >= 300) throw new Error(`${route}: ${answer.status} ${answer.body.detail ?? ''}`);
    return answer.body as T;
  },
};

function writeRunbook(name: string, text: string) {
  const file = path.join(dir, `${name}.runbook.yaml`);
  writeFileSync(file, text);
  return loadRunbook(file).runbook;
}

describe('running a runbook against the training process', () => {
  const executors = {
    runCommand: (command: string, { signal }: { signal: AbortSignal }) => runShellCommand(command, { signal }),
    applyLever: opsApiLever(operatorHttp),
    checkProbe: async () => ({ ok: false, output: 'no probes in this test' }),
  };

  it('when a runbook of a command and a lever passes, then the lever took effect and each step is on the timeline, by the operator, in order', async () => {
    const runbook = writeRunbook(
      'failover-check',
      `name: failover-check
title: Fail over, then look
kind: remediation
parameters:
  note: { description: a word to echo, values: [hello] , default: hello }
steps:
  - name: say
    command: echo {{note}} from the runbook
  - name: fail over
    lever: failover payments
    rollback: { lever: flag payments.secondary-gateway false }
`,
    );
    const before = (await eventsOf('runbook.step')).length;
    const planned = planRunbook(runbook, {});
    if (!planned.ok) throw new Error(planned.errors.join());
    const outcome = await runRunbook(planned.plan, { executors, recorder: opsApiStepRecorder(operatorHttp) });
    expect(outcome).toMatchObject({ ok: true, problems: [] });

    expect((await call('GET', '/api/flags', 'agent')).body.flags['payments.secondary-gateway']).toBe(true);
    const steps = (await eventsOf('runbook.step')).slice(before);
    expect(steps.map((e) => [e.data.step, e.data.status])).toEqual([
      ['say', 'started'],
      ['say', 'passed'],
      ['fail over', 'started'],
      ['fail over', 'passed'],
    ]);
    expect(steps[1]).toMatchObject({ actor: 'operator:ada', visibility: 'everyone', data: { runbook: 'failover-check', output: 'hello from the runbook' } });
    expect(steps[3]!.data.output).toMatch(/secondary-gateway/);
    // The server's clock, in order.
    const times = steps.map((e) => Date.parse(e.at));
    expect(times).toEqual([...times].sort((a, b) => a - b));
    expect(Math.abs(Date.now() - times[0]!)).toBeLessThan(60_000);
  });

  it('when a later step fails, then the lever is rolled back through the ops API and the journal says so', async () => {
    await call('POST', '/api/levers', 'operator', { lever: 'flag api.degraded-mode false' });
    const runbook = writeRunbook(
      'degrade-then-fail',
      `name: degrade-then-fail
title: Degrade, then a check that fails
kind: emergency
steps:
  - name: degrade
    lever: flag api.degraded-mode true
    rollback: { lever: flag api.degraded-mode false }
  - name: check
    command: echo the check fails >&2; exit 4
  - name: never
    command: echo never
`,
    );
    const before = (await eventsOf('runbook.step')).length;
    const planned = planRunbook(runbook, {});
    if (!planned.ok) throw new Error(planned.errors.join());
    const outcome = await runRunbook(planned.plan, { executors, recorder: opsApiStepRecorder(operatorHttp) });
    expect(outcome).toMatchObject({ ok: false, failedStep: 'check' });

    expect((await call('GET', '/api/flags', 'agent')).body.flags['api.degraded-mode']).toBe(false);
    const steps = (await eventsOf('runbook.step')).slice(before);
    expect(steps.map((e) => [e.data.step, e.data.status])).toEqual([
      ['degrade', 'started'],
      ['degrade', 'passed'],
      ['check', 'started'],
      ['check', 'failed'],
      ['degrade', 'rolled-back'],
      ['never', 'skipped'],
    ]);
    expect(steps[3]!.data.output).toBe('the check fails\n(exit 4)');
    const levers = (await eventsOf('lever.applied')).slice(-2).map((e) => e.data.lever);
    expect(levers).toEqual(['flag api.degraded-mode true', 'flag api.degraded-mode false']);
  });

  it('when a step record is malformed or sent with the agent token, then it is a 4xx problem naming the field, never recorded', async () => {
    const before = (await eventsOf('runbook.step')).length;
    const bad = await call('POST', '/api/runbooks/steps', 'operator', { runbook: 'Not A Name', step: '', status: 'exploded', output: 'x'.repeat(3000) });
    expect(bad.status).toBe(400);
    expect(bad.type).toContain('application/problem+json');
    expect(bad.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['output', 'runbook', 'status', 'step']);
    expect((await call('POST', '/api/runbooks/steps', 'agent', { runbook: 'ok-name', step: 's', status: 'started' })).status).toBe(403);
    // One shop: a step names no team (a class's operator names one; here there is none to name).
    const teamed = await call('POST', '/api/runbooks/steps', 'operator', { runbook: 'ok-name', step: 's', status: 'started', team: 'blue' });
    expect(teamed.status).toBe(400);
    expect(teamed.body.errors.map((e: { field: string }) => e.field)).toEqual(['team']);
    expect((await eventsOf('runbook.step')).length).toBe(before);
  });
});

describe('the quiz', () => {
  const day4 = loadQuiz();
  const rightAnswers = Object.fromEntries(day4.questions.map((q) => [q.id, q.answer]));

  it('when the quiz is fetched, then it has every question and choice and no answer or explanation', async () => {
    const { status, body } = await call('GET', '/api/quiz', 'operator');
    expect(status).toBe(200);
    expect(body.id).toBe('day4');
    expect(body.questions).toHaveLength(day4.questions.length);
    expect(JSON.stringify(body)).not.toMatch(/"answer"|"explanation"/);
    expect((await call('GET', '/api/quiz', 'agent')).status).toBe(403);
  });

  it('when answers name an unknown question, leave one out or choose out of range, then it is 400 naming each, and nothing is stored', async () => {
    const [first, second] = day4.questions;
    const { [first!.id]: _left, ...withoutFirst } = rightAnswers;
    const answers = { ...withoutFirst, [second!.id]: 99, 'no-such-question': 1 };
    const { status, type, body } = await call('POST', '/api/quiz/answers', 'operator', { answers }, 'bad-answers');
    expect(status).toBe(400);
    expect(type).toContain('application/problem+json');
    expect(body.errors.map((e: { field: string }) => e.field).sort()).toEqual(
      [`answers.${first!.id}`, `answers.${second!.id}`, 'answers.no-such-question'].sort(),
    );
    expect((await call('POST', '/api/quiz/answers', 'operator', { answers: 'all of them' })).status).toBe(400);
    expect((await eventsOf('quiz.answered')).filter((e) => e.data.trainee === 'operator:bad-answers')).toEqual([]);
  });

  it('when someone answers twice, then the first attempt counts and is the one quiz.answered event, with exactly trainee, correct, total', async () => {
    const wrongFirst = { ...rightAnswers, [day4.questions[0]!.id]: day4.questions[0]!.type === 'single' && day4.questions[0]!.answer === 1 ? 2 : 1 };
    const first = await call('POST', '/api/quiz/answers', 'operator', { answers: wrongFirst }, 'grace');
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({
      quiz: 'day4',
      trainee: 'operator:grace',
      correct: day4.questions.length - 1,
      total: day4.questions.length,
      counted: true,
    });
    const wrong = first.body.results.filter((r: { correct: boolean }) => !r.correct);
    expect(wrong).toEqual([expect.objectContaining({ id: day4.questions[0]!.id, explanation: day4.questions[0]!.explanation })]);

    const second = await call('POST', '/api/quiz/answers', 'operator', { answers: rightAnswers }, 'grace');
    expect(second.body).toMatchObject({ correct: day4.questions.length, counted: false, countedScore: { correct: day4.questions.length - 1 } });

    const answered = (await eventsOf('quiz.answered')).filter((e) => e.data.trainee === 'operator:grace');
    expect(answered).toHaveLength(1);
    expect(answered[0]!.data).toEqual({ trainee: 'operator:grace', correct: day4.questions.length - 1, total: day4.questions.length });
    expect(answered[0]!.actor).toBe('operator:grace');
  });

  it('when the instructor takes it, then it counts under the instructor’s own name, apart from anyone else', async () => {
    const { body } = await call('POST', '/api/quiz/answers', 'instructor', { answers: rightAnswers }, 'ines');
    expect(body).toMatchObject({ trainee: 'instructor:ines', correct: day4.questions.length, counted: true });
  });
});
