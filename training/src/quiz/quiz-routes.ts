import type { RequestHandler } from 'express';
import { z } from 'zod';
import { HttpProblem, jsonBodyProblems, parseOrThrow, problems, type OperationSpec } from '@firedrill/kit';
import { callerOf, responders, type Role } from '../ops/identity.ts';
import { gradeQuiz } from './quiz-grading.ts';
import { publicQuiz, quizAnswersBody, type Quiz } from './quiz-schema.ts';
import type { QuizStore } from './quiz-store.ts';

export interface QuizRouteDeps {
  quiz: Quiz;
  quizAttempts: QuizStore;
}

/** One route of the quiz API, as ops-routes.ts declares its own. */
export interface QuizRoute {
  spec: Omit<OperationSpec, 'security'>;
  roles: readonly Role[];
  handler: (deps: QuizRouteDeps) => RequestHandler;
}

const choices = z.array(z.string());
const publicQuizSchema = z.object({
  id: z.string(),
  title: z.string(),
  questions: z.array(z.object({ id: z.string(), type: z.enum(['single', 'multiple']), text: z.string(), choices })),
});
const gradeSchema = z.object({
  quiz: z.string(),
  trainee: z.string(),
  correct: z.number().int(),
  total: z.number().int(),
  counted: z.boolean().describe('Whether this attempt is the one that counts (the first)'),
  countedScore: z.object({ correct: z.number().int(), total: z.number().int() }),
  at: z.iso.datetime(),
  results: z.array(
    z.object({
      id: z.string(),
      correct: z.boolean(),
      chosen: z.array(z.number().int()),
      answer: z.array(z.number().int()).optional(),
      explanation: z.string().optional(),
    }),
  ),
});

/**
 * The assessment quiz: served without its answers, graded on the server. A trainee takes it as
 * itself; an operator or instructor takes it under its actor name ("operator:ada").
 */
export const quizRoutes: readonly QuizRoute[] = [
  {
    spec: {
      method: 'get',
      path: '/api/quiz',
      summary: 'The quiz: questions and numbered choices (from 1), without answers',
      responses: { 200: { description: 'The quiz', schema: publicQuizSchema } },
      problems: [problems.unauthorized, problems.forbidden],
    },
    roles: responders,
    handler: (deps) => (_req, res) => {
      res.json(publicQuiz(deps.quiz));
    },
  },
  {
    spec: {
      method: 'post',
      path: '/api/quiz/answers',
      summary: "Answer the quiz: graded at once; the trainee's first attempt counts and becomes a quiz.answered event",
      body: quizAnswersBody,
      responses: { 200: { description: 'The grade, with an explanation for each question answered wrong', schema: gradeSchema } },
      problems: [...jsonBodyProblems, problems.unauthorized, problems.forbidden],
    },
    roles: responders,
    handler: (deps) => async (req, res) => {
      const { answers } = parseOrThrow(quizAnswersBody, req.body);
      const graded = gradeQuiz(deps.quiz, answers);
      if (!graded.ok)
        throw new HttpProblem(problems.validation_failed, graded.problems.map((p) => `${p.field}: ${p.message}`).join('; '), { errors: graded.problems });
      const caller = callerOf(req, res);
      const trainee = caller.trainee ?? caller.actor;
      const { correct, total, results } = graded.grade;
      const saved = await deps.quizAttempts.save({ quiz: deps.quiz.id, trainee, team: caller.team, actor: caller.actor, answers, correct, total });
      res.json({ quiz: deps.quiz.id, trainee, correct, total, counted: saved.counted, countedScore: saved.countedScore, at: saved.at, results });
    },
  },
];
