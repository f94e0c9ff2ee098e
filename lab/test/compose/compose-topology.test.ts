import { describe, expect, it } from 'vitest';
import { checkImagesPinned, checkInterpolation, checkPublishedPorts, checkVolumes } from './compose-resources.ts';
import { checkDependencies, checkPorts, checkServiceBasics, copyOf, dependenciesOf, loadCompose, portsOf, readComposeText } from './compose-file.ts';

describe('docker-compose.yml: start order, health, limits and ports', () => {
  const compose = loadCompose();

  it('when the stack is read, then beside the native processes it runs Grafana, Jaeger and two one-shots (tokens, databases)', () => {
    // The native processes themselves are checked against the lab's process table in compose-parity.test.ts.
    expect(Object.keys(compose.services)).toEqual(expect.arrayContaining(['grafana', 'jaeger', 'tokens', 'postgres-init']));
    expect(
      Object.keys(compose.services)
        .filter((name) => compose.services[name]!.restart === 'no')
        .sort(),
    ).toEqual(['postgres-init', 'tokens']);
  });

  it('when any service depends on another, then it waits for a defined service that reports healthy', () => {
    expect(checkDependencies(compose)).toEqual([]);
  });

  it('when the shop starts, then each service waits for what it needs and the worker waits for the migrating api', () => {
    const needs = (name: string) =>
      dependenciesOf(compose.services[name]!)
        .map((dep) => dep.name)
        .sort();
    expect(needs('api')).toEqual(['chaos', 'payments', 'postgres', 'redis', 'tokens', 'toxiproxy', 'training']);
    expect(needs('payments')).toEqual(['chaos', 'postgres', 'tokens', 'toxiproxy', 'training']);
    expect(needs('worker')).toEqual(['api', 'chaos', 'postgres', 'redis', 'tokens', 'toxiproxy']);
    expect(needs('chaos')).toEqual(['postgres', 'postgres-init', 'redis', 'tokens', 'toxiproxy']);
    expect(needs('training')).toEqual(['postgres', 'postgres-init', 'redis', 'tokens']);
  });

  it('when any service is read, then it has a memory limit, and a healthcheck and a restart policy unless it is a one-shot', () => {
    expect(checkServiceBasics(compose)).toEqual([]);
  });

  it('when ports are published, then each maps to the port the service listens on and healthchecks ask that port', () => {
    expect(checkPorts(compose)).toEqual([]);
  });

  it('when an instructor opens the stack, then the api, Prometheus, Alertmanager, Grafana and Jaeger are published, and the fault and ops APIs on loopback only', () => {
    const published = Object.fromEntries(
      Object.entries(compose.services).flatMap(([name, service]) => portsOf(service).map((port) => [name, `${port.hostIp ?? '*'}:${port.published}`])),
    );
    expect(published).toEqual({
      api: '*:7400',
      prometheus: '*:9090',
      alertmanager: '*:9093',
      grafana: '*:3000',
      jaeger: '*:16686',
      chaos: '127.0.0.1:7403',
      training: '127.0.0.1:7404',
      console: '127.0.0.1:7405',
    });
  });

  it('when Compose would resolve the file, then no host port is published twice, every volume is declared and used, and every mounted file exists', () => {
    expect(checkPublishedPorts(compose)).toEqual([]);
    expect(checkVolumes(compose)).toEqual([]);
  });

  it('when Compose interpolates the file on a bare shell, then every variable has a default', () => {
    expect(checkInterpolation(readComposeText())).toEqual([]);
  });

  it('when images are pulled, then each names a pinned version', () => {
    expect(checkImagesPinned(compose)).toEqual([]);
  });

  describe('the checks themselves', () => {
    it('when a dependency has no healthcheck, then the check reports it', () => {
      const broken = copyOf(compose);
      delete broken.services.redis!.healthcheck;
      expect(checkDependencies(broken).sort()).toEqual([
        'api depends on redis, which has no healthcheck',
        'chaos depends on redis, which has no healthcheck',
        'redis-exporter depends on redis, which has no healthcheck',
        'training depends on redis, which has no healthcheck',
        'worker depends on redis, which has no healthcheck',
      ]);
      expect(checkServiceBasics(broken)).toEqual(['redis has no healthcheck']);
    });

    it('when a dependency names an undefined service or only waits for it to start, then the check reports it', () => {
      const broken = copyOf(compose);
      broken.services.payments!.depends_on = { postgress: { condition: 'service_healthy' } };
      broken.services.worker!.depends_on = ['api'];
      broken.services.chaos!.depends_on = { 'postgres-init': { condition: 'service_healthy' } };
      const problems = checkDependencies(broken);
      expect(problems).toContain('payments depends on postgress, which is not defined');
      expect(problems).toContain('worker starts when api is service_started, not service_healthy');
      expect(problems).toContain('chaos starts when postgres-init is service_healthy, not service_completed_successfully');
    });

    it('when two services wait for each other, then the check reports the cycle', () => {
      const broken = copyOf(compose);
      broken.services.payments!.depends_on = { api: { condition: 'service_healthy' } };
      expect(checkDependencies(broken)).toEqual([expect.stringContaining('depends_on cycle')]);
    });

    it('when a service has no memory limit, then the check reports it', () => {
      const broken = copyOf(compose);
      delete broken.services.worker!.mem_limit;
      expect(checkServiceBasics(broken)).toEqual([expect.stringContaining('worker has no memory limit')]);
    });

    it('when the api publishes a port it does not listen on, then the check reports it', () => {
      const broken = copyOf(compose);
      broken.services.api!.ports = ['7400:8080'];
      expect(checkPorts(broken)).toEqual(['api publishes container port 8080, but it listens on 7400']);
    });

    it('when two services publish the same host port, then the check names both', () => {
      const broken = copyOf(compose);
      broken.services.alertmanager!.ports = ['9090:9093'];
      broken.services.grafana!.ports = ['127.0.0.1:7403:3000'];
      expect(checkPublishedPorts(broken)).toEqual([
        'alertmanager publishes host port 9090, which prometheus publishes too',
        'grafana publishes host port 7403, which chaos publishes too',
      ]);
    });

    it('when a volume is not declared, or a declared one unused, or a mounted file missing, then the check reports it', () => {
      const broken = copyOf(compose);
      delete broken.volumes!['agent-tokens'];
      broken.volumes!.spare = null;
      broken.services.toxiproxy!.volumes = ['./compose/toxiproxy.yml:/config/toxiproxy.json:ro'];
      expect(checkVolumes(broken).sort()).toEqual([
        'api mounts the volume agent-tokens, which the top-level volumes do not declare',
        'payments mounts the volume agent-tokens, which the top-level volumes do not declare',
        'the volume spare is declared but no service mounts it',
        'tokens mounts the volume agent-tokens, which the top-level volumes do not declare',
        'toxiproxy bind-mounts ./compose/toxiproxy.yml, which does not exist',
        'worker mounts the volume agent-tokens, which the top-level volumes do not declare',
      ]);
    });

    it('when a variable has no default, then the interpolation check reports it, and a $$ escape or a comment passes', () => {
      const text = readComposeText().replace('${GRAFANA_ADMIN_PASSWORD:-firedrill}', '${GRAFANA_ADMIN_PASSWORD}');
      expect(checkInterpolation(`${text}\n# \${IN_A_COMMENT}\n    x: "$$HOME"\n    y: $LOG_LEVEL\n`)).toEqual([
        '${GRAFANA_ADMIN_PASSWORD} has no default',
        '$LOG_LEVEL has no default (write ${LOG_LEVEL:-…})',
      ]);
    });

    it('when an image floats on latest, a bare major or no tag, then the check reports it', () => {
      const broken = copyOf(compose);
      broken.services.redis!.image = 'redis:7-alpine';
      broken.services.jaeger!.image = 'jaegertracing/jaeger';
      broken.services.grafana!.image = 'grafana/grafana:latest';
      expect(checkImagesPinned(broken)).toEqual([
        'redis: the image tag 7-alpine is not a pinned version (major.minor at least)',
        'grafana: the image tag latest is not a pinned version (major.minor at least)',
        'jaeger: the image jaegertracing/jaeger has no tag',
      ]);
    });

    it('when a healthcheck asks the wrong endpoint, then the check reports it', () => {
      const broken = copyOf(compose);
      broken.services.worker!.healthcheck = { test: ['CMD', 'node', '-e', "fetch('http://127.0.0.1:7402/health/live')"] };
      expect(checkPorts(broken)).toEqual(['worker: the healthcheck does not ask http://127.0.0.1:7402/health/ready']);
    });
  });
});
