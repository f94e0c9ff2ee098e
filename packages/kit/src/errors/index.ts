export { problems, defineProblems, HttpProblem, type ProblemType, type ProblemBody, type FieldError } from './problems.ts';
export { errorHandler, routeNotFound, sendProblem, parseOrThrow, fieldErrors, type DomainErrorMapper } from './error-handler.ts';
