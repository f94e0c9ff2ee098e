import type { RequestHandler } from 'express';
import type { OperationSpec } from '@firedrill/kit';
import { identityRoutes } from '../identities/identity-routes.ts';
import { incidentRoutes } from '../incidents/incident-routes.ts';
import type { Role } from '../ops/identity.ts';
import { opsRoutes } from '../ops/ops-routes.ts';
import { pirRoutes } from '../pir/pir-routes.ts';
import { quizRoutes } from '../quiz/quiz-routes.ts';
import { reportRoutes } from '../reports/report-routes.ts';
import { runbookRoutes } from '../runbooks/runbook-routes.ts';
import { runRoutes } from '../runs/run-routes.ts';
import { shellRoutes } from '../shell/shell-routes.ts';

/**
 * One route of the training API as every route table declares it: its OpenAPI description, the
 * roles it admits, its handler over the deps it needs, and (rarely) a body limit above the app's
 * 8 kB. Each table keeps its own deps type; the app passes them all.
 */
export interface TrainingRoute {
  spec: Omit<OperationSpec, 'security'>;
  roles: readonly Role[];
  // biome-ignore lint/suspicious/noExplicitAny: each table's handler takes its own deps; the app's deps extend them all.
  handler: (deps: any) => RequestHandler;
  bodyLimit?: string;
}

/** Every guarded route, in one list: the app mounts it, the OpenAPI document and the role tests read it. */
export const trainingRoutes: readonly TrainingRoute[] = [
  ...opsRoutes,
  ...runRoutes,
  ...identityRoutes,
  ...incidentRoutes,
  ...reportRoutes,
  ...pirRoutes,
  ...runbookRoutes,
  ...quizRoutes,
  ...shellRoutes,
];
