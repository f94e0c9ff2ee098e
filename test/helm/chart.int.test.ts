/**
 * The Helm chart (deploy/helm/firedrill), checked without a cluster: helm lints and renders it
 * for a class of three teams, every rendered object decodes strictly into Kubernetes' own types
 * (deploy/helm/validate), and the objects that keep teams apart are there for each team. helm and
 * the validator are built by `npx lab setup` (npm test runs it), so CI runs these.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { chartDir, helm, type K8sObject, renderChart, repo, run, validate, validator, withoutSymlinkNotes } from './render-chart.ts';

const release = 'fd';
const shared = 'firedrill';
const teams = ['blue', 'green', 'red'];
const teamNamespace = (team: string) => `${release}-team-${team}`;
const workloadKinds = ['Deployment', 'StatefulSet'];

/** A pod spec, container or policy rule as rendered: read field by field. */
type PodSpec = any;
type Container = any;

const missing = [!helm && 'helm', !validator && 'firedrill-k8s-validate'].filter(Boolean);
const skipReason = missing.length > 0 ? ` (skipped: ${missing.join(' and ')} not in ~/.cache/firedrill/bin; \`npx lab setup\` builds them)` : '';

describe.skipIf(missing.length > 0)(`the Helm chart${skipReason}`, () => {
  let yamlText: string;
  let objects: K8sObject[];
  const inNamespace = (ns: string) => objects.filter((o) => o.metadata.namespace === ns);
  const workloads = () => objects.filter((o) => workloadKinds.includes(o.kind));
  const podSpec = (o: K8sObject): PodSpec => o.spec.template.spec;
  const containersOf = (o: K8sObject): Container[] => [...(podSpec(o).initContainers ?? []), ...podSpec(o).containers];

  beforeAll(() => {
    ({ yaml: yamlText, objects } = renderChart(release, shared, [`teams={${teams.join(',')}}`]));
  });

  it('when helm lints it strictly, then it passes', () => {
    const result = run(helm!, ['lint', '--strict', chartDir]);
    expect(result.status, `${result.stdout}${withoutSymlinkNotes(result.stderr)}`).toBe(0);
    expect(result.stdout).toContain('0 chart(s) failed');
  });

  it('when a team name is not a DNS label, then helm refuses the values', () => {
    expect(() => renderChart(release, shared, ['teams={Blue_1}'])).toThrow(/teams/);
  });

  it('when three teams render, then every object decodes strictly into its Kubernetes type', () => {
    const { status, verdicts, stderr } = validate(yamlText);
    expect(verdicts.filter((v) => v.error)).toEqual([]);
    expect(status, stderr).toBe(0);
    expect(verdicts).toHaveLength(objects.length);
    expect(verdicts.map((v) => `${v.kind}/${v.namespace ?? ''}/${v.name}`)).toEqual(
      objects.map((o) => `${o.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name}`),
    );
  });

  it('when an object has a misspelt field, a wrong type or an unknown kind, then the validator rejects it', () => {
    const api = objects.find((o) => o.kind === 'Deployment' && o.metadata.name === 'api')!;
    const misspelt = structuredClone(api);
    const container = misspelt.spec.template.spec.containers[0];
    container.livenesProbe = container.livenessProbe;
    delete container.livenessProbe;
    const wrongType = { ...structuredClone(api), spec: { ...api.spec, replicas: 'one' } };
    const unknownKind = { apiVersion: 'v1', kind: 'Servise', metadata: { name: 'api' } };
    const good = objects.find((o) => o.kind === 'Service')!;
    const stream = [misspelt, wrongType, unknownKind, good].map((o) => JSON.stringify(o)).join('\n---\n');

    const { status, verdicts } = validate(stream);

    expect(status).toBe(1);
    expect(verdicts.map((v) => v.error ?? 'ok')).toEqual([
      expect.stringContaining('unknown field "spec.template.spec.containers[0].livenesProbe"'),
      expect.stringContaining('replicas'),
      expect.stringContaining('no kind "Servise"'),
      'ok',
    ]);
  });

  it('when three teams render, then each has its namespace, labelled with the team', () => {
    for (const team of teams) {
      const ns = objects.find((o) => o.kind === 'Namespace' && o.metadata.name === teamNamespace(team));
      expect(ns?.metadata.labels?.['firedrill.dev/team'], team).toBe(team);
    }
    expect(objects.filter((o) => o.kind === 'Namespace').map((o) => o.metadata.name)).toEqual(teams.map(teamNamespace));
  });

  it('then every object in a team namespace, and every per-team object beside the shared planes, carries that team label', () => {
    for (const team of teams) {
      const unlabelled = inNamespace(teamNamespace(team)).filter((o) => o.metadata.labels?.['firedrill.dev/team'] !== team);
      expect(
        unlabelled.map((o) => `${o.kind}/${o.metadata.name}`),
        team,
      ).toEqual([]);
      const perTeamShared = inNamespace(shared).filter((o) => o.metadata.name.endsWith(`-${team}`));
      expect(perTeamShared.length, team).toBeGreaterThanOrEqual(6); // chaos, training, console: a Service and a workload each
      for (const o of perTeamShared) expect(o.metadata.labels?.['firedrill.dev/team'], `${o.kind}/${o.metadata.name}`).toBe(team);
    }
  });

  it('then each team namespace has a default-deny policy for ingress and egress', () => {
    for (const team of teams) {
      const deny = inNamespace(teamNamespace(team)).find((o) => o.kind === 'NetworkPolicy' && o.metadata.name === 'default-deny');
      expect(deny?.spec, team).toEqual({ podSelector: {}, policyTypes: ['Ingress', 'Egress'] });
    }
  });

  it("then each team namespace allows its own traffic, DNS, and the shared planes' flows to the pods and ports that serve them", () => {
    const expectedIngress = [
      'allow-prometheus-scrape: prometheus -> api:7400',
      'allow-prometheus-scrape: prometheus -> payments:7401',
      'allow-prometheus-scrape: prometheus -> worker:7402',
      'allow-prometheus-scrape: prometheus -> toxiproxy:8474',
      'allow-prometheus-scrape: prometheus -> postgres-exporter:9187',
      'allow-prometheus-scrape: prometheus -> redis-exporter:9121',
      'allow-chaos-controller: chaos -> toxiproxy:8474',
      'allow-chaos-controller: chaos -> redis:6379',
      'allow-training-api: training -> postgres:5432',
      'allow-training-api: training -> redis:6379',
      'allow-training-api: training -> api:7400',
      'allow-training-api: training -> payments:7401',
    ];
    for (const team of teams) {
      const policies = inNamespace(teamNamespace(team)).filter((o) => o.kind === 'NetworkPolicy');
      const within = policies.find((p) => p.metadata.name === 'allow-within-team');
      expect(within?.spec.ingress, team).toEqual([{ from: [{ podSelector: {} }] }]);
      expect(within?.spec.egress, team).toEqual([{ to: [{ podSelector: {} }] }]);
      expect(policies.find((p) => p.metadata.name === 'allow-dns')?.spec.egress[0].ports, team).toEqual([
        { protocol: 'UDP', port: 53 },
        { protocol: 'TCP', port: 53 },
      ]);

      const ingress = policies
        .filter((p) => p.spec.policyTypes.join() === 'Ingress')
        .map((p) => {
          const peer = p.spec.ingress[0].from[0];
          expect(peer.namespaceSelector.matchLabels, p.metadata.name).toEqual({ 'kubernetes.io/metadata.name': shared });
          // The per-team planes (controller, training API) are let in as this team's pods only, never any team's.
          const from = peer.podSelector.matchLabels['app.kubernetes.io/name'];
          if (from !== 'prometheus') expect(peer.podSelector.matchLabels['firedrill.dev/team'], p.metadata.name).toBe(team);
          return `${p.metadata.name.replace(/-to-.*$/, '')}: ${peer.podSelector.matchLabels['app.kubernetes.io/name']} -> ${p.spec.podSelector.matchLabels['app.kubernetes.io/name']}:${p.spec.ingress[0].ports[0].port}`;
        });
      expect(ingress.sort(), team).toEqual([...expectedIngress].sort());

      const egress = policies.find((p) => p.metadata.name === 'allow-shop-to-shared-planes');
      const flows = egress?.spec.egress.map((rule: PodSpec) => `${rule.to[0].podSelector.matchLabels['app.kubernetes.io/name']}:${rule.ports[0].port}`);
      expect(flows, team).toEqual(['chaos:7403', 'training:7404', 'jaeger:4318']);
      const teamsOut = egress?.spec.egress.map((rule: PodSpec) => rule.to[0].podSelector.matchLabels['firedrill.dev/team']);
      expect(teamsOut, team).toEqual([team, team, undefined]);
    }
  });

  it("then no object of one team selects, allows or names another team's namespace or pods", () => {
    for (const team of teams) {
      const others = teams.filter((t) => t !== team);
      for (const o of inNamespace(teamNamespace(team))) {
        const text = JSON.stringify(o);
        for (const other of others) {
          expect(text, `${team}: ${o.kind}/${o.metadata.name}`).not.toContain(teamNamespace(other));
          expect(text, `${team}: ${o.kind}/${o.metadata.name}`).not.toMatch(new RegExp(`"firedrill.dev/team":"${other}"|(chaos|training|console)-${other}\\b`));
        }
        if (o.kind !== 'NetworkPolicy') continue;
        const peers = [...(o.spec.ingress ?? []).flatMap((r: PodSpec) => r.from), ...(o.spec.egress ?? []).flatMap((r: PodSpec) => r.to)];
        for (const peer of peers) {
          const ns = peer.namespaceSelector?.matchLabels?.['kubernetes.io/metadata.name'];
          // Within the namespace (no namespaceSelector), the shared planes' namespace, or the DNS pods'.
          if (peer.namespaceSelector) expect([shared, 'kube-system'], `${team}: ${o.metadata.name}`).toContain(ns);
          const peerTeam = peer.podSelector?.matchLabels?.['firedrill.dev/team'];
          if (peerTeam !== undefined) expect(peerTeam, `${team}: ${o.metadata.name}`).toBe(team);
        }
      }
    }
  });

  it("then each team's shop runs as compose runs it: api, payments and worker from the lab's images, through the team's Toxiproxy", () => {
    const compose = parse(readFileSync(path.join(repo, 'docker-compose.yml'), 'utf8')) as { services: Record<string, { image: string }> };
    for (const team of teams) {
      const deployments = inNamespace(teamNamespace(team)).filter((o) => o.kind === 'Deployment');
      for (const service of ['api', 'payments', 'worker']) {
        const deployment = deployments.find((d) => d.metadata.name === service);
        const container = podSpec(deployment!).containers[0];
        expect(container.image, `${team}/${service}`).toBe(compose.services[service]!.image);
        const env = Object.fromEntries(container.env.map((e: Container) => [e.name, e.value ?? e.valueFrom]));
        expect(env.DATABASE_URL, `${team}/${service}`).toBe('postgres://postgres:$(POSTGRES_PASSWORD)@toxiproxy:5432/shop');
        expect(env.CHAOS_URL, `${team}/${service}`).toBe(`http://chaos-${team}.${shared}.svc:7403`);
      }
    }
  });

  it('then every image is the one compose runs', () => {
    const compose = parse(readFileSync(path.join(repo, 'docker-compose.yml'), 'utf8')) as { services: Record<string, { image: string }> };
    const composeImages = new Set(Object.values(compose.services).map((s) => s.image));
    const chartImages = new Set(workloads().flatMap((o) => containersOf(o).map((c) => c.image as string)));
    expect([...chartImages].filter((image) => !composeImages.has(image))).toEqual([]);
  });

  it('then every workload has liveness and readiness probes, requests and limits, and runs as non-root', () => {
    expect(workloads().length).toBeGreaterThan(0);
    for (const o of workloads()) {
      const where = `${o.metadata.namespace}/${o.kind}/${o.metadata.name}`;
      expect(podSpec(o).securityContext, where).toMatchObject({ runAsNonRoot: true, runAsUser: expect.any(Number) });
      expect(podSpec(o).securityContext.runAsUser, where).toBeGreaterThan(0);
      for (const c of containersOf(o)) {
        for (const kind of ['requests', 'limits'])
          expect(Object.keys(c.resources?.[kind] ?? {}).sort(), `${where}/${c.name} ${kind}`).toEqual(['cpu', 'memory']);
        expect(c.securityContext, `${where}/${c.name}`).toMatchObject({ allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } });
      }
      for (const c of podSpec(o).containers) {
        expect(c.livenessProbe, `${where}/${c.name} liveness`).toBeDefined();
        expect(c.readinessProbe, `${where}/${c.name} readiness`).toBeDefined();
      }
    }
  });

  it("then the shop's probes are the services' own health endpoints", () => {
    const paths = (name: string) => {
      const c = podSpec(inNamespace(teamNamespace('blue')).find((o) => o.kind === 'Deployment' && o.metadata.name === name)!).containers[0];
      return [c.livenessProbe.httpGet.path, c.readinessProbe.httpGet.path];
    };
    expect(paths('api')).toEqual(['/api/health/live', '/api/health/ready']);
    expect(paths('payments')).toEqual(['/payments/health/live', '/payments/health/ready']);
    expect(paths('worker')).toEqual(['/health/live', '/health/ready']);
  });

  it('then passwords and tokens reach pods only by reference to a Secret of their own namespace, never inlined', () => {
    const secrets = objects.filter((o) => o.kind === 'Secret');
    const secretValues = secrets.flatMap((s) => Object.values(s.data ?? {}).map((v) => Buffer.from(v, 'base64').toString('utf8')));
    expect(secretValues.length).toBeGreaterThan(0);
    for (const value of secretValues) expect(value.length).toBeGreaterThanOrEqual(32);
    for (const o of objects.filter((x) => x.kind !== 'Secret')) {
      const text = JSON.stringify(o);
      for (const value of secretValues) expect(text.includes(value), `${o.kind}/${o.metadata.name} holds a secret's value`).toBe(false);
    }
    const secretNamesIn = (ns: string | undefined) => new Set(secrets.filter((s) => s.metadata.namespace === ns).map((s) => s.metadata.name));
    for (const o of workloads()) {
      const where = `${o.metadata.namespace}/${o.metadata.name}`;
      const known = secretNamesIn(o.metadata.namespace);
      for (const c of containersOf(o)) {
        for (const e of c.env ?? []) {
          if (/(PASSWORD|PASS|TOKEN|AUTH)$/.test(e.name)) expect(e.valueFrom?.secretKeyRef, `${where} ${e.name}`).toBeDefined();
          if (e.valueFrom?.secretKeyRef) expect(known.has(e.valueFrom.secretKeyRef.name), `${where} ${e.name}`).toBe(true);
        }
      }
      for (const v of podSpec(o).volumes ?? []) {
        const names = [v.secret?.secretName, ...(v.projected?.sources ?? []).map((s: PodSpec) => s.secret?.name)].filter(Boolean);
        for (const name of names) expect(known.has(name), `${where} volume ${v.name}: ${name}`).toBe(true);
      }
    }
    for (const team of teams) {
      const shop = inNamespace(teamNamespace(team)).filter((o) => o.kind === 'Deployment' && ['api', 'payments', 'worker'].includes(o.metadata.name));
      for (const d of shop) {
        const secretVolume = podSpec(d).volumes.find((v: PodSpec) => v.secret);
        // The shop's pods never hold the instructor token: the agent token only.
        expect(secretVolume.secret.items, `${team}/${d.metadata.name}`).toEqual([{ key: 'agent-token', path: 'agent-token' }]);
      }
    }
  });

  it("then a team's secrets beside its controller hold the same values as in its namespace, and teams' values differ", () => {
    const decoded = (ns: string, name: string) => {
      const s = objects.find((o) => o.kind === 'Secret' && o.metadata.namespace === ns && o.metadata.name === name)!;
      return Object.fromEntries(Object.entries(s.data!).map(([k, v]) => [k, Buffer.from(v, 'base64').toString('utf8')]));
    };
    const tokens = teams.map((team) => {
      const own = decoded(teamNamespace(team), 'firedrill-shop');
      expect(decoded(shared, `${release}-team-${team}`), team).toEqual(own);
      return own['agent-token'];
    });
    expect(new Set(tokens).size).toBe(teams.length);
  });

  describe("the class's Prometheus and Alertmanager configs", () => {
    let dir: string;
    const configMap = (name: string) => objects.find((o) => o.kind === 'ConfigMap' && o.metadata.namespace === shared && o.metadata.name === name)!;

    beforeAll(() => {
      dir = mkdtempSync(path.join(os.tmpdir(), 'firedrill-helm-'));
      mkdirSync(path.join(dir, 'rules'));
      // The credentials file is the Secret's mount in the pod; promtool checks it exists, so a stand-in here.
      const token = path.join(dir, 'instructor-token');
      writeFileSync(token, 'x'.repeat(48));
      writeFileSync(
        path.join(dir, 'prometheus.yml'),
        configMap('prometheus').data!['prometheus.yml']!.replaceAll('/run/secrets/firedrill/instructor-token', token),
      );
      for (const [file, text] of Object.entries(configMap('prometheus-rules').data!)) writeFileSync(path.join(dir, 'rules', file), text);
      writeFileSync(path.join(dir, 'alertmanager.yml'), configMap('alertmanager').data!['alertmanager.yml']!);
    });
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    it('when promtool checks the Prometheus config with its rules, then it is valid', () => {
      const result = run('/usr/bin/promtool', ['check', 'config', path.join(dir, 'prometheus.yml')]);
      expect(result.status, result.stdout + result.stderr).toBe(0);
      expect(Object.keys(configMap('prometheus-rules').data!).length).toBeGreaterThan(0);
    });

    it('then every scrape target of a team carries its team label, and each job lists every team once', () => {
      const config = parse(configMap('prometheus').data!['prometheus.yml']!) as {
        scrape_configs: { job_name: string; static_configs: { targets: string[]; labels?: { team?: string } }[] }[];
      };
      const perTeam = config.scrape_configs.filter((job) => !['prometheus', 'alertmanager'].includes(job.job_name));
      expect(perTeam.map((j) => j.job_name).sort()).toEqual([
        'api',
        'chaos',
        'console',
        'payments',
        'postgres-exporter',
        'redis-exporter',
        'toxiproxy',
        'training',
        'worker',
      ]);
      for (const job of perTeam) {
        expect(
          job.static_configs.map((s) => s.labels?.team),
          job.job_name,
        ).toEqual(teams);
        for (const s of job.static_configs) {
          const host = s.targets[0]!.split(':')[0]!;
          expect(host.includes(teamNamespace(s.labels!.team!)) || host.endsWith(`-${s.labels!.team}`), `${job.job_name}: ${host}`).toBe(true);
        }
      }
    });

    it("when amtool checks the Alertmanager config, then it is valid and each team's alerts go to its own controller", () => {
      const result = run('/usr/bin/amtool', ['check-config', path.join(dir, 'alertmanager.yml')]);
      expect(result.status, result.stdout + result.stderr).toBe(0);
      const config = parse(configMap('alertmanager').data!['alertmanager.yml']!) as {
        route: { routes: { matchers: string[]; receiver: string }[] };
        receivers: { name: string; webhook_configs?: { url: string }[] }[];
      };
      expect(config.route.routes.map((r) => [r.matchers, r.receiver])).toEqual(teams.map((t) => [[`team="${t}"`], `chaos-${t}`]));
      for (const team of teams) {
        expect(config.receivers.find((r) => r.name === `chaos-${team}`)?.webhook_configs?.[0]?.url).toBe(`http://chaos-${team}:7403/api/alerts/webhook`);
      }
    });
  });
});
