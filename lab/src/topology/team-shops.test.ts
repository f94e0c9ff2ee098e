import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { loadLabConfig } from '../config/lab-config.ts';
import { renderPrometheusConfig } from '../prometheus/prometheus-config.ts';
import { displayOrder, labProcesses } from './lab-processes.ts';
import { scrapeTargets } from './prometheus-launch.ts';
import { teamProxies } from './team-shops.ts';
import { toxiproxyProxies } from './toxiproxy-proxies.ts';

const single = loadLabConfig({ LAB_PORT_BASE: '7400' }, '/repo');
const klass = loadLabConfig({ LAB_PORT_BASE: '7400', LAB_TEAMS: 'blue,green' }, '/repo');
const byName = (config: typeof klass) => new Map(labProcesses(config).map((p) => [p.name, p]));

describe('a class of two teams (docs/decisions/0015)', () => {
  it('runs one shop per team on its own block of ports, and the shared planes once', () => {
    const names = labProcesses(klass).map((p) => p.name);
    for (const name of ['blue-api', 'blue-payments', 'blue-worker', 'green-api', 'green-payments', 'green-worker']) expect(names).toContain(name);
    for (const name of ['api', 'payments', 'worker']) expect(names).not.toContain(name);
    for (const name of ['postgres', 'redis-exporter', 'toxiproxy', 'prometheus', 'alertmanager', 'chaos', 'training', 'console']) {
      expect(names.filter((n) => n === name)).toHaveLength(1);
    }
    // A Redis server per team, replacing the shared one (no `redis` in a class).
    expect(names).not.toContain('redis');
    expect(byName(klass).get('green-redis')).toMatchObject({ port: 7620, team: 'green', url: 'redis://127.0.0.1:7620' });
    expect(byName(klass).get('blue-worker')?.dependsOn).toContain('blue-redis');
    expect(byName(klass).get('blue-worker')?.dependsOn).not.toContain('green-redis');
    // Whatever waits for "the Redis" waits for a process the class runs.
    for (const process of labProcesses(klass))
      for (const dependency of process.dependsOn) expect(names, `${process.name} → ${dependency}`).toContain(dependency);
    const processes = byName(klass);
    expect(processes.get('blue-api')).toMatchObject({ port: 7500, team: 'blue', url: 'http://127.0.0.1:7500' });
    expect(processes.get('green-payments')).toMatchObject({ port: 7601, team: 'green' });
    expect(processes.get('postgres')?.team).toBeUndefined();
    // Each shop waits for its own payments, not another team's.
    expect(processes.get('green-api')?.dependsOn).toContain('green-payments');
    expect(processes.get('green-api')?.dependsOn).not.toContain('blue-payments');
  });

  it('gives each shop its own database, key prefix, Toxiproxy listeners, payments and chaos team, as its own Postgres role and Redis user', () => {
    const env = (name: string) => byName(klass).get(name)!.launch().env!;
    expect(env('blue-api')).toMatchObject({
      PORT: '7500',
      DATABASE_URL: expect.stringMatching(/^postgres:\/\/shop_blue:[^@]+@127\.0\.0\.1:7511\/shop_blue$/),
      REDIS_URL: expect.stringMatching(/^redis:\/\/shop_blue:[^@]+@127\.0\.0\.1:7521$/),
      QUEUE_PREFIX: 'firedrill-blue',
      PAYMENTS_URL: 'http://127.0.0.1:7501',
      CHAOS_TEAM: 'blue',
    });
    expect(env('green-worker')).toMatchObject({
      DATABASE_URL: expect.stringMatching(/^postgres:\/\/shop_green:[^@]+@127\.0\.0\.1:7611\/shop_green$/),
      REDIS_URL: expect.stringMatching(/^redis:\/\/shop_green:[^@]+@127\.0\.0\.1:7621$/),
      QUEUE_PREFIX: 'firedrill-green',
      CHAOS_TEAM: 'green',
    });
    expect(env('green-payments')).toMatchObject({
      DATABASE_URL: expect.stringMatching(/^postgres:\/\/shop_green:[^@]+@127\.0\.0\.1:7611\/shop_green$/),
      CHAOS_TEAM: 'green',
    });
    const replica = byName(klass).get('blue-worker')!.scalable!.replica(2);
    expect(replica).toMatchObject({ name: 'blue-worker-2', port: 7530, team: 'blue' });
  });

  it("tells training each team's shop (CLASS_SHOPS), and a single lab's training its one shop's team label", () => {
    const trainingEnv = (config: typeof klass) => byName(config).get('training')!.launch().env!;
    expect(JSON.parse(trainingEnv(klass).CLASS_SHOPS!)).toEqual({
      blue: {
        api: 'http://127.0.0.1:7500',
        payments: 'http://127.0.0.1:7501',
        database: 'shop_blue',
        queuePrefix: 'firedrill-blue',
        redis: 'redis://127.0.0.1:7520',
      },
      green: {
        api: 'http://127.0.0.1:7600',
        payments: 'http://127.0.0.1:7601',
        database: 'shop_green',
        queuePrefix: 'firedrill-green',
        redis: 'redis://127.0.0.1:7620',
      },
    });
    expect(trainingEnv(single)).not.toHaveProperty('CLASS_SHOPS');
    // The chaos controller reads the same description (each team's Redis), with no password in it.
    const chaosEnv = (config: typeof klass) => byName(config).get('chaos')!.launch().env!;
    expect(chaosEnv(klass).CLASS_SHOPS).toBe(trainingEnv(klass).CLASS_SHOPS);
    expect(chaosEnv(klass).CLASS_SHOPS).not.toContain('@');
    expect(chaosEnv(single)).not.toHaveProperty('CLASS_SHOPS');
    // The single shop's series carry team "open": so do its deploy markers (ServiceRestartingUnexpectedly matches on team).
    expect(trainingEnv(single).SHOP_TEAM_LABEL).toBe('open');
    expect(trainingEnv(klass)).not.toHaveProperty('SHOP_TEAM_LABEL');
  });

  it('names each team’s proxies after the team, on the team’s ports, to the shared Postgres and the team’s own Redis', () => {
    expect(teamProxies(klass)).toEqual([
      { name: 'blue-postgres', listen: '127.0.0.1:7511', upstream: '127.0.0.1:7410' },
      { name: 'blue-redis', listen: '127.0.0.1:7521', upstream: '127.0.0.1:7520' },
      { name: 'green-postgres', listen: '127.0.0.1:7611', upstream: '127.0.0.1:7410' },
      { name: 'green-redis', listen: '127.0.0.1:7621', upstream: '127.0.0.1:7620' },
    ]);
    // The base block's `redis` would lead to no server in a class (each team has its own): not created.
    expect(toxiproxyProxies(klass).map((p) => p.name)).toEqual(['postgres']);
  });

  it("scrapes each team's Redis through the one exporter's /scrape?target=, labelled with its team", () => {
    const config = parse(renderPrometheusConfig({ rulesDir: '/r', targets: scrapeTargets(klass) }));
    const redis = config.scrape_configs.filter((j: { job_name: string }) => j.job_name === 'redis-exporter');
    expect(redis).toHaveLength(1);
    expect(redis[0].metrics_path).toBe('/scrape');
    expect(redis[0].static_configs).toEqual([
      { targets: ['127.0.0.1:7422'], labels: { team: 'blue', instance: '127.0.0.1:7520', __param_target: 'redis://127.0.0.1:7520' } },
      { targets: ['127.0.0.1:7422'], labels: { team: 'green', instance: '127.0.0.1:7620', __param_target: 'redis://127.0.0.1:7620' } },
    ]);
    const exporter = byName(klass).get('redis-exporter')!;
    expect(exporter.dependsOn).toEqual(['blue-redis', 'green-redis']);
    // `lab status` shows what it serves: /metrics is empty in a class, a team's Redis is on /scrape.
    expect(exporter.url).toBe("http://127.0.0.1:7422/scrape?target=<a team's redis>");
    expect(byName(single).get('redis-exporter')!.url).toBe('http://127.0.0.1:7422/metrics');
    const { args } = exporter.launch();
    expect(args.slice(args.indexOf('-redis.addr'), args.indexOf('-redis.addr') + 2)).toEqual(['-redis.addr', '']);
  });

  it("labels the shared Postgres exporter's series of a team's database with that team, and nothing else of it", () => {
    const config = parse(renderPrometheusConfig({ rulesDir: '/r', targets: scrapeTargets(klass) }));
    const exporter = config.scrape_configs.find((j: { job_name: string }) => j.job_name === 'postgres-exporter');
    // The server is every team's: no team on the target, so server-wide series (pg_up, pg_settings_*) have none.
    expect(exporter.static_configs).toEqual([{ targets: ['127.0.0.1:7412'] }]);
    expect(exporter.metric_relabel_configs).toEqual([
      { source_labels: ['datname'], regex: 'shop_([a-z][a-z0-9]{0,15})', target_label: 'team', replacement: '$1' },
    ]);
    // Prometheus anchors the regex (^…$) and replaces only on a match: what each database's series get.
    const [relabel] = exporter.metric_relabel_configs;
    const teamOf = (datname: string) => new RegExp(`^(?:${relabel.regex})$`).exec(datname)?.[1];
    expect(teamOf('shop_blue')).toBe('blue');
    expect(teamOf('shop_green')).toBe('green');
    for (const datname of ['shop', 'lab', 'postgres', 'template1', 'shop_blue_readonly', 'shop_Blue', 'xshop_blue', ''])
      expect(teamOf(datname), datname).toBeUndefined();
  });

  it('scrapes each team’s services in the usual jobs with a team label', () => {
    const config = parse(renderPrometheusConfig({ rulesDir: '/r', targets: scrapeTargets(klass) }));
    const api = config.scrape_configs.find((j: { job_name: string }) => j.job_name === 'api');
    expect(api.static_configs).toEqual([
      { targets: ['127.0.0.1:7500'], labels: { team: 'blue' } },
      { targets: ['127.0.0.1:7600'], labels: { team: 'green' } },
    ]);
    expect(config.scrape_configs.filter((j: { job_name: string }) => j.job_name === 'api')).toHaveLength(1);
  });

  it('lists each team’s shop together, teams in order, then the shared planes', () => {
    const order = displayOrder(labProcesses(klass));
    expect(order.slice(0, 6)).toEqual(['blue-api', 'blue-payments', 'blue-worker', 'green-api', 'green-payments', 'green-worker']);
  });
});

describe('a lab without teams', () => {
  it("labels the Postgres exporter's target with the shop's team, as before, and relabels none of its series", () => {
    const config = parse(renderPrometheusConfig({ rulesDir: '/r', targets: scrapeTargets(single) }));
    const exporter = config.scrape_configs.find((j: { job_name: string }) => j.job_name === 'postgres-exporter');
    expect(exporter).toEqual({
      job_name: 'postgres-exporter',
      metrics_path: '/metrics',
      static_configs: [{ targets: ['127.0.0.1:7412'], labels: { team: 'open' } }],
    });
  });

  it('is the single shop it always was', () => {
    const processes = byName(single);
    expect([...processes.keys()].filter((n) => ['api', 'payments', 'worker'].includes(n))).toEqual(['payments', 'api', 'worker']);
    expect(processes.get('api')?.team).toBeUndefined();
    expect(processes.get('api')!.launch().env).toMatchObject({
      DATABASE_URL: expect.stringMatching(/^postgres:\/\/shop:[^@]+@127\.0\.0\.1:7411\/shop$/),
      REDIS_URL: expect.stringMatching(/^redis:\/\/shop:[^@]+@127\.0\.0\.1:7421$/),
      QUEUE_PREFIX: 'firedrill',
    });
    expect(processes.get('api')!.launch().env!.CHAOS_TEAM).toBeUndefined();
    expect(teamProxies(single)).toEqual([]);
    expect(toxiproxyProxies(single).map((p) => p.name)).toEqual(['postgres', 'redis']);
    // The one shop's series carry team "open" (its prom-label-proxy enforces it); nothing else does.
    expect(
      scrapeTargets(single)
        .filter((t) => t.labels)
        .map((t) => [t.job, t.labels?.team]),
    ).toEqual([
      ['api', 'open'],
      ['payments', 'open'],
      ['worker', 'open'],
      ['postgres-exporter', 'open'],
      ['redis-exporter', 'open'],
    ]);
    // One Redis, `redis`, on the base block, its exporter on /metrics as it always was.
    expect(processes.get('redis')).toMatchObject({ port: 7420, url: 'redis://127.0.0.1:7420' });
    expect(processes.get('redis')?.team).toBeUndefined();
    const { args } = processes.get('redis-exporter')!.launch();
    expect(args.slice(args.indexOf('-redis.addr'), args.indexOf('-redis.addr') + 2)).toEqual(['-redis.addr', 'redis://127.0.0.1:7420']);
    expect(scrapeTargets(single).find((t) => t.job === 'redis-exporter')?.metricsPath).toBe('/metrics');
  });
});
