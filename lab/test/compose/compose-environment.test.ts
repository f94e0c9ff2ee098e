import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { checkNoTokenLiterals, checkTokenFiles } from './compose-tokens.ts';
import { checkServiceEnvironment, checkServiceUrls, copyOf, environmentOf, loadCompose, nodeServiceNames, nodeServices, repoRoot } from './compose-file.ts';

/** Every `credentials_file` a generated config under compose/ names. */
function credentialsFilesOf(file: string): string[] {
  const found: string[] = [];
  const walk = (value: unknown): void => {
    if (Array.isArray(value)) value.forEach(walk);
    else if (value && typeof value === 'object') {
      for (const [key, inner] of Object.entries(value)) {
        if (key === 'credentials_file' && typeof inner === 'string') found.push(inner);
        else walk(inner);
      }
    }
  };
  walk(parse(readFileSync(path.join(repoRoot, file), 'utf8')));
  return [...new Set(found)];
}

/** Token files Prometheus and Alertmanager read, named in their config files rather than their environment. */
const configTokenFiles = {
  prometheus: credentialsFilesOf('compose/prometheus.yml'),
  alertmanager: credentialsFilesOf('compose/alertmanager.yml'),
};

describe('docker-compose.yml: the Node services get the environment their config schema expects', () => {
  const compose = loadCompose();

  it.each(nodeServiceNames)('when the %s environment is parsed by its config schema, then it is valid, complete and listens on 0.0.0.0', (name) => {
    expect(checkServiceEnvironment(compose, name)).toEqual([]);
  });

  it.each(nodeServiceNames)('when %s reaches another service by URL, then the host is a compose service on the port it listens on', (name) => {
    expect(checkServiceUrls(compose, name)).toEqual([]);
  });

  it('when the api and the worker share the queue and the database, then they parse the same settings', () => {
    const parsed = (name: 'api' | 'worker') => nodeServices[name].schema.parse(environmentOf(compose.services[name]!).env) as Record<string, unknown>;
    const api = parsed('api');
    const worker = parsed('worker');
    const shared = ['DATABASE_URL', 'REDIS_URL', 'QUEUE_PREFIX', 'JOB_ATTEMPTS'].filter((key) => key in api && key in worker);
    expect(shared).toEqual(expect.arrayContaining(['DATABASE_URL', 'REDIS_URL', 'QUEUE_PREFIX']));
    for (const key of shared) expect({ key, value: worker[key] }).toEqual({ key, value: api[key] });
  });

  it('when payments and the api use the shop database, then both point at the same one, through Toxiproxy', () => {
    const url = (name: 'api' | 'payments') => environmentOf(compose.services[name]!).env.DATABASE_URL;
    expect(url('payments')).toBe(url('api'));
    expect(url('api')).toBe('postgres://postgres@toxiproxy:5432/shop');
  });

  it('when a container reads a token file, then a read-only token volume owned by its user holds it, and holds no token it does not read', () => {
    expect(configTokenFiles.prometheus).toEqual(['/run/secrets/firedrill/instructor-token']);
    expect(configTokenFiles.alertmanager).toEqual(['/run/secrets/firedrill/alerts-token']);
    expect(checkTokenFiles(compose, configTokenFiles)).toEqual([]);
  });

  it('when the file is read, then no token is written in it, only paths to token files', () => {
    expect(checkNoTokenLiterals(compose)).toEqual([]);
  });

  describe('the checks themselves', () => {
    it("when the api is given the controller's token volume, then the token check says it holds tokens the api never reads", () => {
      const broken = copyOf(compose);
      broken.services.api!.volumes = ['chaos-tokens:/run/secrets/firedrill:ro'];
      expect(checkTokenFiles(broken, configTokenFiles)).toEqual([
        'api is given instructor-token (in chaos-tokens) but never reads it',
        'api is given alerts-token (in chaos-tokens) but never reads it',
      ]);
    });

    it('when a reader runs as another user or mounts its volume writable, then the token check reports it', () => {
      const broken = copyOf(compose);
      delete broken.services.alertmanager!.user;
      broken.services.worker!.volumes = ['agent-tokens:/run/secrets/firedrill'];
      expect(checkTokenFiles(broken, configTokenFiles)).toEqual([
        'worker mounts the agent-tokens volume writable',
        'alertmanager runs as the image user, but the alertmanager-tokens volume belongs to 65534:65534',
      ]);
    });

    it('when a service reads a token from a folder with no token volume, or one lacking that token, then the token check reports it', () => {
      const broken = copyOf(compose);
      broken.services.payments!.environment = { ...environmentOf(broken.services.payments!).env, CHAOS_AGENT_TOKEN_FILE: '/run/secrets/agent-token' };
      expect(checkTokenFiles(broken, { ...configTokenFiles, prometheus: ['/run/secrets/firedrill/alerts-token'] })).toEqual([
        'payments reads /run/secrets/agent-token, but mounts no token volume at /run/secrets',
        'payments is given agent-token (in agent-tokens) but never reads it',
        'prometheus reads /run/secrets/firedrill/alerts-token, but the prometheus-tokens volume holds no alerts-token',
        'prometheus is given instructor-token (in prometheus-tokens) but never reads it',
      ]);
    });

    it('when a token is put in the environment, then the literal check reports it', () => {
      const broken = copyOf(compose);
      broken.services.chaos!.environment = { ...environmentOf(broken.services.chaos!).env, INSTRUCTOR_TOKEN: 'x'.repeat(43) };
      expect(checkNoTokenLiterals(broken)).toEqual(['chaos: INSTRUCTOR_TOKEN would put a token in the compose file; pass a *_TOKEN_FILE']);
    });

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
