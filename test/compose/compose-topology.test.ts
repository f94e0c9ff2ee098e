import { describe, expect, it } from 'vitest';
import {
  checkDependencies,
  checkPorts,
  checkServiceBasics,
  copyOf,
  dependenciesOf,
  loadCompose,
  portsOf,
} from './compose-file.ts';

describe('docker-compose.yml: start order, health, limits and ports', () => {
  const compose = loadCompose();

  it('when the stack is read, then it runs the shop, its data stores and its observability', () => {
    expect(Object.keys(compose.services).sort()).toEqual(['api', 'grafana', 'jaeger', 'payments', 'postgres', 'prometheus', 'redis', 'worker']);
  });

  it('when any service depends on another, then it waits for a defined service that reports healthy', () => {
    expect(checkDependencies(compose)).toEqual([]);
  });

  it('when the shop starts, then each service waits for what it needs and the worker waits for the migrating api', () => {
    const needs = (name: string) => dependenciesOf(compose.services[name]!).map((dep) => dep.name).sort();
    expect(needs('api')).toEqual(['payments', 'postgres', 'redis']);
    expect(needs('payments')).toEqual(['postgres']);
    expect(needs('worker')).toEqual(['api', 'postgres', 'redis']);
  });

  it('when any service is read, then it has a healthcheck, a memory limit and a restart policy', () => {
    expect(checkServiceBasics(compose)).toEqual([]);
  });

  it('when ports are published, then each maps to the port the service listens on and healthchecks ask that port', () => {
    expect(checkPorts(compose)).toEqual([]);
  });

  it('when an instructor opens the stack, then the api, Prometheus, Grafana and Jaeger are published on their usual ports', () => {
    const published = Object.fromEntries(
      Object.entries(compose.services).flatMap(([name, service]) => portsOf(service).map((port) => [name, port.published])),
    );
    expect(published).toEqual({ api: 7400, prometheus: 9090, grafana: 3000, jaeger: 16686 });
  });

  describe('the checks themselves', () => {
    it('when a dependency has no healthcheck, then the check reports it', () => {
      const broken = copyOf(compose);
      delete broken.services.redis!.healthcheck;
      expect(checkDependencies(broken)).toEqual(['api depends on redis, which has no healthcheck', 'worker depends on redis, which has no healthcheck']);
      expect(checkServiceBasics(broken)).toEqual(['redis has no healthcheck']);
    });

    it('when a dependency names an undefined service or only waits for it to start, then the check reports it', () => {
      const broken = copyOf(compose);
      broken.services.payments!.depends_on = { postgress: { condition: 'service_healthy' } };
      broken.services.worker!.depends_on = ['api'];
      const problems = checkDependencies(broken);
      expect(problems).toContain('payments depends on postgress, which is not defined');
      expect(problems).toContain('worker starts when api is service_started, not service_healthy');
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

    it('when a healthcheck asks the wrong endpoint, then the check reports it', () => {
      const broken = copyOf(compose);
      broken.services.worker!.healthcheck = { test: ['CMD', 'node', '-e', "fetch('http://127.0.0.1:7402/health/live')"] };
      expect(checkPorts(broken)).toEqual(['worker: the healthcheck does not ask http://127.0.0.1:7402/health/ready']);
    });
  });
});
