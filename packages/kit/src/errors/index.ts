export { problems, HttpProblem, type ProblemCode, type ProblemBody, type FieldError } from './problems.ts';
export { errorHandler, routeNotFound, sendProblem, parseOrThrow, fieldErrors } from './error-handler.ts';
