export {
  openApiDocument,
  problemResponses,
  jsonSchemaOf,
  type OperationSpec,
  type ResponseSpec,
  type DocumentSpec,
  type HttpMethod,
} from './openapi-document.ts';
export { problemBodySchema, jsonBodyProblems } from './problem-schema.ts';
export { healthOperations, metricsOperation, openApiOperation } from './common-operations.ts';
