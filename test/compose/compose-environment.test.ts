import { describe, expect, it } from 'vitest';
import {
  checkServiceEnvironment,
  checkServiceUrls,
  copyOf,
  environmentOf,
  loadCompose,
  nodeServiceNames,
  nodeServices,
} from './compose-file.ts';

describe('docker-compose.yml: the Node services get the environment their config schema expects', () => {
  const compose = loadCompose();

  it.each(nodeServiceNames)('when the %s environment is parsed by its config schema, then it is valid, complete and listens on 0.0.0.0', (name) => {
    expect(checkServiceEnvironment(compose, name)).toEqual([]);
  });

  it.each(nodeServiceNames)('when %s reaches another service by URL, then the host is a compose service on the port it listens on', (name) => {
    expect(checkServiceUrls(compose, name)).toEqual([]);
  });

  it('when the api and the worker share the queue and the database, then they parse the same settings', () => {
    const parsed = (name: 'api' | 'worker') =>
      nodeServices[name].schema.parse(environmentOf(compose.services[name]!).env) as Record<string, unknown>;
    const api = parsed('api');
    const worker = parsed('worker');
    const shared = ['DATABASE_URL', 'REDIS_URL', 'QUEUE_PREFIX', 'JOB_ATTEMPTS'].filter((key) => key in api && key in worker);
    expect(shared).toEqual(expect.arrayContaining(['DATABASE_URL', 'REDIS_URL', 'QUEUE_PREFIX']));
    for (const key of shared) expect({ key, value: worker[key] }).toEqual({ key, value: api[key] });
  });

  it('when payments and the api use the shop database, then both point at the same one', () => {
    const url = (name: 'api' | 'payments') => environmentOf(compose.services[name]!).env.DATABASE_URL;
    expect(url('payments')).toBe(url('api'));
    expect(url('api')).toBe('postgres://postgres@postgres:5432/shop');
  });

  describe('the checks themselves', () => {
    it('when a variable name is misspelled, then the check names it', () => {
      const broken = copyOf(compose);
      const env = environmentOf(broken.services.api!).env;
      broken.services.api!.environment = { ...env, PAYMENT_URL: env.PAYMENTS_URL! };
      expect(checkServiceEnvironment(broken, 'api')).toEqual([expect.stringContaining('PAYMENT_URL is not a variable the service reads')]);
    });

    it('when a value breaks the schema, then the check reports the variable', () => {
      const broken = copyOf(compose);
      broken.services.worker!.environment = { ...environmentOf(broken.services.worker!).env, WORKER_CONCURRENCY: '0' };
      expect(checkServiceEnvironment(broken, 'worker')).toEqual([expect.stringContaining('worker: WORKER_CONCURRENCY')]);
    });

    it('when HOST is left at its loopback default, then the check says the container is unreachable', () => {
      const broken = copyOf(compose);
      const { HOST: _host, ...rest } = environmentOf(broken.services.payments!).env;
      broken.services.payments!.environment = rest;
      expect(checkServiceEnvironment(broken, 'payments')).toEqual([expect.stringContaining('HOST must be 0.0.0.0')]);
    });

    it('when OTEL_* and NODE_OPTIONS are set, then they are accepted beside the schema', () => {
      const extended = copyOf(compose);
      extended.services.api!.environment = { ...environmentOf(extended.services.api!).env, OTEL_SERVICE_NAME: 'api', NODE_OPTIONS: '--enable-source-maps' };
      expect(checkServiceEnvironment(extended, 'api')).toEqual([]);
    });

    it('when a value needs a host variable with no default, then the check reports it', () => {
      const broken = copyOf(compose);
      broken.services.api!.environment = { ...environmentOf(broken.services.api!).env, LOG_LEVEL: '${LOG_LEVEL}' };
      expect(checkServiceEnvironment(broken, 'api')).toContainEqual(expect.stringContaining('LOG_LEVEL depends on the host variable LOG_LEVEL'));
    });

    it('when the api calls payments on the wrong port, then the URL check reports it', () => {
      const broken = copyOf(compose);
      broken.services.api!.environment = { ...environmentOf(broken.services.api!).env, PAYMENTS_URL: 'http://payments:7499' };
      expect(checkServiceUrls(broken, 'api')).toEqual(['api: PAYMENTS_URL uses port 7499 but payments listens on 7401']);
    });

    it('when a URL still points at loopback, then the URL check says it is no compose service', () => {
      const broken = copyOf(compose);
      broken.services.worker!.environment = { ...environmentOf(broken.services.worker!).env, REDIS_URL: 'redis://127.0.0.1:6379' };
      expect(checkServiceUrls(broken, 'worker')).toEqual([expect.stringContaining('REDIS_URL points at 127.0.0.1, which is not a service')]);
    });
  });
});
