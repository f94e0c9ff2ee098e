import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { chaosTokenFiles } from '../chaos/chaos-tokens.ts';
import type { LabConfig } from '../config/lab-config.ts';
import { type BasicAuthFile, renderPrometheusConfig, type ScrapeTarget } from '../prometheus/prometheus-config.ts';
import { renderWebConfig } from '../prometheus/web-config.ts';
import { ensureObservabilityCredentials, observabilityCredentialFiles, observabilityUser } from './observability-credentials.ts';
import type { Launch } from './process-spec.ts';
import { teamOfShopDatabase, teamScrapeTargets } from './team-shops.ts';
import { requireBinary } from './require-binary.ts';
import { singleShopTeam } from './single-shop-team.ts';

/** Basic auth to the lab's own Prometheus and Alertmanager, as Prometheus' config reads it. */
export function observabilityBasicAuth(config: Pick<LabConfig, 'stateDir'>): BasicAuthFile {
  return { username: observabilityUser, passwordFile: observabilityCredentialFiles(config).password };
}

/**
 * Every process Prometheus scrapes in the native lab: each one the lab runs. The shop's own
 * (its services and their stores' exporters) carry the team label; the lab's planes (chaos,
 * training, console, Toxiproxy, Prometheus, Alertmanager) do not, so a trainee's team-enforced
 * query never sees them.
 */
export function scrapeTargets(config: LabConfig): ScrapeTarget[] {
  const { ports } = config;
  const team = singleShopTeam;
  const basicAuth = observabilityBasicAuth(config);
  return [
    // The shop: the single lab's (team "open", which its prom-label-proxy enforces), or each team's
    // with its own team label (a class, docs/decisions/0015).
    ...(config.teams.length === 0
      ? [
          { job: 'api', port: ports.api, metricsPath: '/metrics', labels: { team } },
          { job: 'payments', port: ports.payments, metricsPath: '/metrics', labels: { team } },
          { job: 'worker', port: ports.worker, metricsPath: '/metrics', labels: { team } },
        ]
      : teamScrapeTargets(config)),
    { job: 'chaos', port: ports.chaos, metricsPath: '/metrics', bearerTokenFile: chaosTokenFiles(config).instructor },
    // Deploy markers (lab_deploy_timestamp_seconds) for the dashboards' annotations.
    { job: 'training', port: ports.training, metricsPath: '/metrics' },
    // The console's own request rates and memory (its sessions and event streams).
    { job: 'console', port: ports.console, metricsPath: '/metrics' },
    { job: 'toxiproxy', port: ports.toxiproxy, metricsPath: '/metrics' },
    // The stores' exporters: the one shop's stores in a single lab. In a class, Postgres is every
    // team's (no team label on the target: the server is not one team's; each team's database's
    // series get their team by its name, teamOfShopDatabase); each team's own Redis is scraped with
    // its team (teamScrapeTargets).
    {
      job: 'postgres-exporter',
      port: ports.postgresExporter,
      metricsPath: '/metrics',
      ...(config.teams.length === 0 ? { labels: { team } } : { metricRelabels: [teamOfShopDatabase] }),
    },
    ...(config.teams.length === 0 ? [{ job: 'redis-exporter', port: ports.redisExporter, metricsPath: '/metrics', labels: { team } }] : []),
    { job: 'alertmanager', port: ports.alertmanager, metricsPath: '/metrics', basicAuth },
    { job: 'prometheus', port: ports.prometheus, metricsPath: '/metrics', basicAuth },
  ];
}

export function preparePrometheus(config: LabConfig): Launch {
  const dir = path.join(config.stateDir, 'prometheus');
  mkdirSync(path.join(dir, 'data'), { recursive: true });
  const configFile = path.join(dir, 'prometheus.yml');
  const { ports } = config;
  const webConfigFile = writeWebConfig(config, dir);
  writeFileSync(
    configFile,
    renderPrometheusConfig({
      rulesDir: path.join(config.repoRoot, 'prometheus', 'rules'),
      alertmanagerPort: ports.alertmanager,
      alertmanagerBasicAuth: observabilityBasicAuth(config),
      targets: scrapeTargets(config),
    }),
  );
  return {
    command: requireBinary('prometheus'),
    args: [
      `--config.file=${configFile}`,
      `--storage.tsdb.path=${path.join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${ports.prometheus}`,
      '--storage.tsdb.retention.time=2d',
      '--web.enable-remote-write-receiver', // k6 pushes its results here
      '--web.enable-lifecycle',
      `--web.config.file=${webConfigFile}`,
    ],
    cwd: dir,
  };
}

/** Basic auth on every route (shared by Alertmanager): the hash of the state dir's password. */
export function writeWebConfig(config: Pick<LabConfig, 'stateDir'>, dir: string): string {
  const file = path.join(dir, 'web.yml');
  writeFileSync(file, renderWebConfig(ensureObservabilityCredentials(config)), { mode: 0o600 });
  return file;
}
