import type { Question, Quiz, QuizAnswers } from './quiz-schema.ts';

export interface QuestionResult {
  id: string;
  correct: boolean;
  chosen: number[];
  /** The right choices and why: only for a question answered wrong. */
  answer?: number[];
  explanation?: string;
}

export interface QuizGrade {
  correct: number;
  total: number;
  results: QuestionResult[];
}

/** One problem with a set of answers, named by its field ("answers.phases"). */
export interface AnswerProblem {
  field: string;
  message: string;
}

const rightChoices = (question: Question) => (typeof question.answer === 'number' ? [question.answer] : [...question.answer]).sort((a, b) => a - b);

/**
 * Grades answers against the quiz, or lists every problem with them (an unknown question, a
 * question left out, a choice that does not exist, several choices for a single-choice question).
 * A multiple-choice question counts when exactly its right choices are given: no partial credit.
 */
export function gradeQuiz(quiz: Quiz, answers: QuizAnswers): { ok: true; grade: QuizGrade } | { ok: false; problems: AnswerProblem[] } {
  const problems: AnswerProblem[] = [];
  const known = new Set(quiz.questions.map((question) => question.id));
  for (const id of Object.keys(answers)) if (!known.has(id)) problems.push({ field: `answers.${id}`, message: 'no such question' });
  const results: QuestionResult[] = [];
  for (const question of quiz.questions) {
    const field = `answers.${question.id}`;
    const given = answers[question.id];
    if (given === undefined) {
      problems.push({ field, message: 'not answered' });
      continue;
    }
    const chosen = typeof given === 'number' ? [given] : [...given];
    if (question.type === 'single' && chosen.length !== 1) {
      problems.push({ field, message: 'a single-choice question takes one choice' });
      continue;
    }
    if (chosen.length === 0) {
      problems.push({ field, message: 'choose at least one' });
      continue;
    }
    const outOfRange = chosen.filter((choice) => choice < 1 || choice > question.choices.length);
    if (outOfRange.length > 0) {
      problems.push({ field, message: `no choice ${outOfRange.join(', ')} (choices are 1 to ${question.choices.length})` });
      continue;
    }
    if (new Set(chosen).size !== chosen.length) {
      problems.push({ field, message: 'names a choice twice' });
      continue;
    }
    chosen.sort((a, b) => a - b);
    const right = rightChoices(question);
    const correct = right.length === chosen.length && right.every((choice, i) => chosen[i] === choice);
    results.push(correct ? { id: question.id, correct, chosen } : { id: question.id, correct, chosen, answer: right, explanation: question.explanation });
  }
  if (problems.length > 0) return { ok: false, problems };
  return { ok: true, grade: { correct: results.filter((result) => result.correct).length, total: quiz.questions.length, results } };
}
