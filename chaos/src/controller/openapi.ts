/** The controller's HTTP API, served at GET /api/openapi.json (instructor token required). */
const problem = { $ref: '#/components/schemas/Problem' };
const problemResponse = (description: string) => ({ description, content: { 'application/problem+json': { schema: problem } } });
const faultResponse = { description: 'The fault', content: { 'application/json': { schema: { $ref: '#/components/schemas/Fault' } } } };
const auth = { '401': problemResponse('Missing or wrong instructor token') };

export const openApiDocument = {
  openapi: '3.1.0',
  info: {
    title: 'Firedrill chaos controller',
    version: '1.0.0',
    description:
      'Instructor-only fault injection. Every fault has a duration (default 10m, max 2h) and reverts by itself; ' +
      'POST /api/halt clears everything at once. Authenticate with "Authorization: Bearer <token>" (the token is in ' +
      '<lab state dir>/instructor-token). Optionally name yourself with X-Firedrill-Actor for the journal.',
  },
  security: [{ instructor: [] }],
  paths: {
    '/api/catalogue': { get: { summary: 'Fault families, their modes, settings and symptoms', responses: { '200': { description: 'The catalogue' }, ...auth } } },
    '/api/faults': {
      get: { summary: 'Active faults', responses: { '200': { description: 'Active faults', content: { 'application/json': { schema: { type: 'object', properties: { faults: { type: 'array', items: { $ref: '#/components/schemas/Fault' } } } } } } }, ...auth } },
      post: {
        summary: 'Inject a fault; answered once the live agents of its target carry it out, or after AGENT_APPLY_TIMEOUT_MS naming those that do not',
        requestBody: { required: true, content: { 'application/json': { schema: { $ref: '#/components/schemas/InjectRequest' } } } },
        responses: { '201': faultResponse, '400': problemResponse('Invalid settings; `errors` names each field'), ...auth, '503': problemResponse('The fault could not be applied (e.g. Toxiproxy unreachable); nothing was injected') },
      },
    },
    '/api/faults/{id}': {
      parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }],
      get: { summary: 'One active fault', responses: { '200': faultResponse, '404': problemResponse('No such active fault'), ...auth } },
      delete: { summary: 'Clear a fault now; answered once the agents carrying it have reverted it (bounded wait)', responses: { '200': { description: '{"id", "cleared": true, "agents": [AgentApplyStatus]}' }, '404': problemResponse('No such active fault'), ...auth } },
    },
    '/api/agents': { get: { summary: 'The agents in the services heard from lately: live or not, and whether each carries out the current fault set', responses: { '200': { description: '{"agents": [AgentApplyStatus & {lastSeenAt, live}]}' }, ...auth } } },
    '/api/halt': { post: { summary: 'Clear every active fault at once; answered once the agents have reverted them (bounded wait)', responses: { '200': { description: '{"cleared": n, "agents": [AgentApplyStatus]}' }, ...auth } } },
    '/api/journal': { get: { summary: 'Who did what, when, newest first', parameters: [{ name: 'limit', in: 'query', schema: { type: 'integer', minimum: 1, maximum: 5000 } }], responses: { '200': { description: 'Journal entries' }, ...auth } } },
  },
  components: {
    securitySchemes: { instructor: { type: 'http', scheme: 'bearer' } },
    schemas: {
      InjectRequest: {
        type: 'object',
        required: ['family'],
        properties: {
          family: { enum: ['latency', 'errors', 'payment-failures', 'database-loss', 'redis-loss', 'worker-death'] },
          target: { type: 'string', description: 'api|payments for latency and errors; fixed for the other families' },
          mode: { type: 'string', description: 'payment-failures: declined|gateway-error|timeout|unreachable; database-loss/redis-loss: refused|blackhole|reset|slow; worker-death: exit|hang|crash-loop|slow' },
          route: { type: 'string', example: 'POST /api/orders' },
          ms: { type: 'integer', minimum: 1, maximum: 60000 },
          jitterMs: { type: 'integer', minimum: 0 },
          rate: { type: 'number', minimum: 0, maximum: 1 },
          status: { type: 'integer', minimum: 500, maximum: 599 },
          factor: { type: 'number', minimum: 1.5, maximum: 1000 },
          for: { type: 'string', example: '10m', description: 'Duration; default 10m, max 2h' },
        },
      },
      Fault: {
        type: 'object',
        required: ['id', 'family', 'target', 'createdBy', 'createdAt', 'expiresAt', 'remainingSeconds'],
        properties: {
          id: { type: 'string' },
          family: { type: 'string' },
          target: { type: 'string' },
          mode: { type: 'string' },
          createdBy: { type: 'string' },
          createdAt: { type: 'string', format: 'date-time' },
          expiresAt: { type: 'string', format: 'date-time' },
          remainingSeconds: { type: 'integer' },
          agents: { type: 'array', items: { $ref: '#/components/schemas/AgentApplyStatus' }, description: 'In answers to an inject: the agents of the target and whether each applied it (empty for network faults)' },
        },
        additionalProperties: true,
      },
      AgentApplyStatus: {
        type: 'object',
        required: ['agent', 'service', 'applied'],
        properties: { agent: { type: 'string', example: 'api@lab-host:4121' }, service: { enum: ['api', 'payments', 'worker'] }, applied: { type: 'boolean' } },
      },
      Problem: {
        type: 'object',
        required: ['type', 'title', 'status', 'code'],
        properties: { type: { type: 'string' }, title: { type: 'string' }, status: { type: 'integer' }, code: { type: 'string' }, detail: { type: 'string' }, errors: { type: 'array', items: { type: 'object', properties: { field: { type: 'string' }, message: { type: 'string' } } } } },
      },
    },
  },
} as const;
