import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { chaosTokenFiles } from '../chaos/chaos-tokens.ts';
import type { LabConfig } from '../config/lab-config.ts';
import { renderAlertmanagerConfig } from '../prometheus/alertmanager-config.ts';
import type { Launch } from './process-spec.ts';
import { writeWebConfig } from './prometheus-launch.ts';
import { requireBinary } from './require-binary.ts';

/**
 * Alertmanager routes by severity and reports every alert, firing and resolved, to the lab
 * (the chaos controller's /api/alerts/webhook), which records when each fired: grading needs it.
 */
export function prepareAlertmanager(config: LabConfig): Launch {
  const dir = path.join(config.stateDir, 'alertmanager');
  mkdirSync(path.join(dir, 'data'), { recursive: true });
  const configFile = path.join(dir, 'alertmanager.yml');
  writeFileSync(
    configFile,
    renderAlertmanagerConfig({
      webhookUrl: `http://127.0.0.1:${config.ports.chaos}/api/alerts/webhook`,
      tokenFile: chaosTokenFiles(config).alerts,
    }),
  );
  return {
    command: requireBinary('prometheus-alertmanager'),
    args: [
      `--config.file=${configFile}`,
      `--storage.path=${path.join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${config.ports.alertmanager}`,
      '--cluster.listen-address=', // one Alertmanager: no gossip port to collide with
      `--web.config.file=${writeWebConfig(config, dir)}`, // the same basic auth as Prometheus
    ],
    cwd: dir,
  };
}
