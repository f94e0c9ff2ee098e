import { buildDashboard, type DashboardSpec } from './panels.ts';
import { datastores } from './dashboards/datastores.ts';
import { instructor } from './dashboards/instructor.ts';
import { k6Load } from './dashboards/k6-load.ts';
import { payments } from './dashboards/payments.ts';
import { queueWorker } from './dashboards/queue-worker.ts';
import { shopOverview } from './dashboards/shop-overview.ts';
import { slos } from './dashboards/slos.ts';

/**
 * Every dashboard and the file it is provisioned from, relative to grafana/dashboards. Each
 * folder there has its own provider (grafana/provisioning/dashboards/firedrill.yml), so the
 * instructor's dashboard lands in an "Instructor" folder apart from the trainees' "Firedrill".
 */
export const catalogue: ReadonlyArray<{ file: string; spec: DashboardSpec }> = [
  { file: 'firedrill/shop-overview.json', spec: shopOverview },
  { file: 'firedrill/payments.json', spec: payments },
  { file: 'firedrill/queue-worker.json', spec: queueWorker },
  { file: 'firedrill/datastores.json', spec: datastores },
  { file: 'firedrill/slos.json', spec: slos },
  { file: 'firedrill/k6-load.json', spec: k6Load },
  { file: 'instructor/instructor.json', spec: instructor },
];

/** The exact text of each dashboard file (2-space JSON and a final newline). */
export function renderDashboards(): Array<{ file: string; text: string }> {
  return catalogue.map(({ file, spec }) => ({ file, text: `${JSON.stringify(buildDashboard(spec), null, 2)}\n` }));
}
