import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadQuiz } from './load-quiz.ts';
import { gradeQuiz } from './quiz-grading.ts';
import { publicQuiz, quizSchema } from './quiz-schema.ts';

const quiz = quizSchema.parse({
  id: 'sample',
  title: 'Sample',
  questions: [
    { id: 'sev', type: 'single', text: 'Severity?', choices: ['P0', 'P1', 'P2'], answer: 2, explanation: 'Checkout down is P1.' },
    { id: 'roles', type: 'multiple', text: 'Roles?', choices: ['IC', 'Scribe', 'Blamer'], answer: [1, 2], explanation: 'Nobody blames.' },
  ],
});

describe('grading the quiz', () => {
  it('when every answer is right, then the score is full and no explanation is given', () => {
    expect(gradeQuiz(quiz, { sev: 2, roles: [2, 1] })).toEqual({
      ok: true,
      grade: {
        correct: 2,
        total: 2,
        results: [
          { id: 'sev', correct: true, chosen: [2] },
          { id: 'roles', correct: true, chosen: [1, 2] },
        ],
      },
    });
  });

  it('when a multiple-choice answer misses a right choice or adds a wrong one, then it counts as wrong, with the right choices and why', () => {
    const graded = gradeQuiz(quiz, { sev: 1, roles: [1] });
    expect(graded.ok && graded.grade.correct).toBe(0);
    expect(graded.ok && graded.grade.results[1]).toEqual({ id: 'roles', correct: false, chosen: [1], answer: [1, 2], explanation: 'Nobody blames.' });
    const extra = gradeQuiz(quiz, { sev: 2, roles: [1, 2, 3] });
    expect(extra.ok && extra.grade.correct).toBe(1);
  });

  it('when a multiple-choice question is given one number, then it is read as a list of one', () => {
    const graded = gradeQuiz(quiz, { sev: 2, roles: 1 });
    expect(graded.ok && graded.grade.results[1]).toMatchObject({ correct: false, chosen: [1] });
  });

  it('when answers name unknown questions, leave one out, go out of range or give several to a single-choice one, then every problem is named', () => {
    expect(gradeQuiz(quiz, { nope: 1, roles: [4] })).toEqual({
      ok: false,
      problems: [
        { field: 'answers.nope', message: 'no such question' },
        { field: 'answers.sev', message: 'not answered' },
        { field: 'answers.roles', message: 'no choice 4 (choices are 1 to 3)' },
      ],
    });
    expect(gradeQuiz(quiz, { sev: [1, 2], roles: [1, 1] })).toEqual({
      ok: false,
      problems: [
        { field: 'answers.sev', message: 'a single-choice question takes one choice' },
        { field: 'answers.roles', message: 'names a choice twice' },
      ],
    });
    expect(gradeQuiz(quiz, { sev: 0, roles: [] })).toEqual({
      ok: false,
      problems: [
        { field: 'answers.sev', message: 'no choice 0 (choices are 1 to 3)' },
        { field: 'answers.roles', message: 'choose at least one' },
      ],
    });
  });

  it('when the quiz is served, then it carries no answers or explanations', () => {
    const served = JSON.stringify(publicQuiz(quiz));
    expect(served).not.toMatch(/answer|explanation|Checkout down/);
    expect(publicQuiz(quiz).questions[0]).toEqual({ id: 'sev', type: 'single', text: 'Severity?', choices: ['P0', 'P1', 'P2'] });
  });
});

describe('the quiz files', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'quiz-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('when quiz/day4.yaml is loaded, then it has about a dozen questions on severity, phases, the PIR and blameless culture, single and multiple', () => {
    const day4 = loadQuiz();
    expect(day4.id).toBe('day4');
    expect(day4.questions.length).toBeGreaterThanOrEqual(10);
    expect(new Set(day4.questions.map((q) => q.type))).toEqual(new Set(['single', 'multiple']));
    for (const topic of ['sever', 'phase', 'pir', 'blameless']) expect(day4.questions.some((q) => q.id.includes(topic))).toBe(true);
  });

  it('when a quiz file has an answer out of range or a single question with a list, then the problem names its line and field', () => {
    const file = path.join(dir, 'broken.yaml');
    writeFileSync(
      file,
      'id: broken\ntitle: Broken\nquestions:\n  - id: a\n    type: single\n    text: A?\n    choices: [x, y]\n    answer: [1, 2]\n    explanation: because\n  - id: b\n    type: multiple\n    text: B?\n    choices: [x, y]\n    answer: [3]\n    explanation: because\n',
    );
    expect(() => loadQuiz(file)).toThrow(
      /broken\.yaml:8: questions\.0\.answer: a single-choice question has one answer, a number\n.*broken\.yaml:14: questions\.1\.answer: choice 3 does not exist \(1 to 2\)/,
    );
  });
});
