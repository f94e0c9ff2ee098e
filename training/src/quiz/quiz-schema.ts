import { z } from 'zod';

/**
 * An assessment quiz (quiz/<id>.yaml): questions with numbered choices (1 is the first, as the
 * CLI prints them), single or multiple choice, each with its answer and an explanation shown to
 * whoever got it wrong. Answers never leave the server before grading.
 */
const text = (max: number) => z.string().trim().min(1, 'must not be empty').max(max);
export const quizIdPattern = /^[a-z0-9][a-z0-9-]{1,40}$/;
export const questionIdPattern = /^[a-z0-9][a-z0-9-]{0,60}$/;

const questionSchema = z
  .strictObject({
    id: z.string().regex(questionIdPattern, 'must be lower-case letters, digits and dashes'),
    type: z.enum(['single', 'multiple']).describe('single: one choice is right; multiple: every right choice and no other'),
    text: text(1000),
    choices: z.array(text(300)).min(2).max(8),
    answer: z.union([z.number().int(), z.array(z.number().int()).min(1)]).describe('The right choice (single) or choices (multiple), numbered from 1'),
    explanation: text(2000).describe('Why, shown after grading to whoever got it wrong'),
  })
  .superRefine((question, ctx) => {
    const answers = typeof question.answer === 'number' ? [question.answer] : question.answer;
    if (question.type === 'single' && typeof question.answer !== 'number')
      ctx.addIssue({ code: 'custom', path: ['answer'], message: 'a single-choice question has one answer, a number' });
    if (new Set(answers).size !== answers.length) ctx.addIssue({ code: 'custom', path: ['answer'], message: 'names a choice twice' });
    for (const answer of answers) {
      if (answer < 1 || answer > question.choices.length)
        ctx.addIssue({ code: 'custom', path: ['answer'], message: `choice ${answer} does not exist (1 to ${question.choices.length})` });
    }
  });

export const quizSchema = z
  .strictObject({
    id: z.string().regex(quizIdPattern, 'must be lower-case letters, digits and dashes'),
    title: text(200),
    questions: z.array(questionSchema).min(1).max(100),
  })
  .superRefine((quiz, ctx) => {
    const seen = new Set<string>();
    quiz.questions.forEach((question, index) => {
      if (seen.has(question.id)) ctx.addIssue({ code: 'custom', path: ['questions', index, 'id'], message: `another question has the id "${question.id}"` });
      seen.add(question.id);
    });
  });

export type Quiz = z.output<typeof quizSchema>;
export type Question = Quiz['questions'][number];

/** The quiz as anyone taking it sees it: no answers, no explanations. */
export function publicQuiz(quiz: Quiz) {
  return {
    id: quiz.id,
    title: quiz.title,
    questions: quiz.questions.map(({ id, type, text, choices }) => ({ id, type, text, choices })),
  };
}
export type PublicQuiz = ReturnType<typeof publicQuiz>;

/** POST /api/quiz/answers: question id → a choice number, or a list of them for a multiple-choice question. */
export const quizAnswersBody = z.strictObject({
  answers: z
    .record(z.string().max(100), z.union([z.number().int(), z.array(z.number().int()).max(8)]))
    .describe('Question id → choice number (from 1), or a list of numbers for a multiple-choice question; every question answered'),
});
export type QuizAnswers = z.output<typeof quizAnswersBody>['answers'];
