import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { proxiedStores } from '@firedrill/chaos';
import { loadLabConfig, type LabConfig } from '../../src/config/lab-config.ts';
import { goTools } from '../../src/setup/requirements.ts';
import { nativeProcesses } from '../../src/compose/compose-configs.ts';
import { nativeOnlyStrippedSources } from '../../src/runtime/stripped-sources.ts';
import { nativeOnlyLabBox } from '../../src/topology/sshd-process.ts';
import { nativeOnlyTeamBoundary } from '../../src/topology/team-prometheus-processes.ts';
import { toxiproxyProxies } from '../../src/topology/toxiproxy-proxies.ts';
import { copyOf, dependenciesOf, environmentOf, loadCompose, nodeServiceNames, readToxiproxyProxies, repoRoot, type ComposeFile } from './compose-file.ts';

/**
 * Compose against the native lab's own process table (lab/src/topology/lab-processes.ts): the
 * list of processes, what each waits for, the variables each is given and what every URL among
 * them reaches. A process added to the native lab fails these until compose runs it too.
 */

// A lab config of our own: building the table starts nothing; launching the chaos controller's
// entry writes its tokens into this throwaway state dir.
const stateDir = mkdtempSync(path.join(os.tmpdir(), 'compose-parity-'));
afterAll(() => rmSync(stateDir, { recursive: true, force: true }));
const config: LabConfig = loadLabConfig({ LAB_STATE_DIR: stateDir }, repoRoot);
// The team boundary (prom-label-proxy and its gate, Prometheus' basic auth) is native-only: see nativeOnlyTeamBoundary.
const native = nativeProcesses(config);

/** Where a native URL leads: the process listening on that port, or the Toxiproxy proxy it enters. */
function nativeDestination(url: URL): string | undefined {
  const port = Number(url.port);
  const proxy = toxiproxyProxies(config).find((p) => Number(p.listen.split(':').at(-1)) === port);
  if (proxy) return `toxiproxy proxy ${proxy.name}`;
  return native.find((process) => process.port === port)?.name;
}

function composeDestination(url: URL): string {
  if (url.hostname !== 'toxiproxy') return url.hostname;
  const proxy = readToxiproxyProxies().find((p) => Number(p.listen.split(':').at(-1)) === Number(url.port));
  return proxy ? `toxiproxy proxy ${proxy.name}` : 'toxiproxy';
}

/**
 * Variables the native lab passes through or sets for its own supervision, not part of a service's
 * contract. SUPERVISOR_URL and SUPERVISOR_TOKEN_FILE name the native supervisor, which compose does
 * not have (there the training process answers its restart, deploy and scale levers with 503 lever_unavailable).
 */
const passedThrough = (name: string) =>
  name.startsWith('OTEL_') ||
  Object.hasOwn(config.inheritedEnv, name) ||
  name === 'SUPERVISOR_URL' ||
  name === 'SUPERVISOR_TOKEN_FILE' ||
  (nativeOnlyTeamBoundary.variables as readonly string[]).includes(name) ||
  (nativeOnlyLabBox.variables as readonly string[]).includes(name) ||
  (nativeOnlyStrippedSources.variables as readonly string[]).includes(name);

/** Every native variable that compose lacks, and every URL that leads somewhere else in compose. */
function parityProblems(compose: ComposeFile): string[] {
  const problems: string[] = [];
  for (const process of native.filter((p) => p.kind === 'service')) {
    const service = compose.services[process.name];
    if (!service) continue;
    const composeEnv = environmentOf(service).env;
    for (const [name, value] of Object.entries(process.launch().env ?? {})) {
      if (passedThrough(name)) continue;
      if (!(name in composeEnv)) {
        problems.push(`${process.name}: the native lab sets ${name}, compose does not`);
        continue;
      }
      if (!/^[a-z]+:\/\//.test(value)) continue;
      const want = nativeDestination(new URL(value));
      const got = composeDestination(new URL(composeEnv[name]!));
      if (want !== got) problems.push(`${process.name}: ${name} reaches ${want} natively but ${got} in compose`);
    }
  }
  return problems;
}

describe('docker-compose.yml against the native lab', () => {
  const compose = loadCompose();

  it('when the native lab runs a process, then compose has a service of that name', () => {
    const missing = native.map((p) => p.name).filter((name) => !(name in compose.services));
    expect(native.length).toBeGreaterThan(5);
    expect(missing).toEqual([]);
  });

  it('when a native process waits for another, then its compose service waits for it too', () => {
    const problems = native.flatMap((process) => {
      const waits = dependenciesOf(compose.services[process.name] ?? {}).map((dep) => dep.name);
      return process.dependsOn.filter((dep) => !waits.includes(dep)).map((dep) => `${process.name} does not wait for ${dep}`);
    });
    expect(problems).toEqual([]);
  });

  it('when the native lab runs a Node process, then compose checks it against a config schema', () => {
    expect(
      native
        .filter((p) => p.kind === 'service')
        .map((p) => p.name)
        .sort(),
    ).toEqual([...nodeServiceNames].sort());
  });

  it('when the native lab gives a Node process a variable, then compose gives it too, and every URL reaches the same process or proxy', () => {
    expect(parityProblems(compose)).toEqual([]);
  });

  it('when the shop reaches Postgres and Redis, then it goes through Toxiproxy, whose proxies lead to the real stores', () => {
    for (const name of ['api', 'payments', 'worker']) {
      const env = environmentOf(compose.services[name]!).env;
      const urls = [env.DATABASE_URL, env.REDIS_URL].filter((url): url is string => url !== undefined);
      expect(urls.length, name).toBeGreaterThan(0);
      for (const url of urls) expect({ name, url: new URL(url).hostname }).toEqual({ name, url: 'toxiproxy' });
    }
    expect(readToxiproxyProxies().map((p) => [p.name, p.upstream])).toEqual([
      ['postgres', 'postgres:5432'],
      ['redis', 'redis:6379'],
    ]);
    // The controller acts on these proxies by name.
    expect(readToxiproxyProxies().map((p) => p.name)).toEqual(expect.arrayContaining(Object.keys(proxiedStores)));
  });

  it('when the controller reaches its own database, then it goes straight to Postgres, never through Toxiproxy', () => {
    expect(new URL(environmentOf(compose.services.chaos!).env.LAB_DATABASE_URL!).host).toBe('postgres:5432');
  });

  it('when compose pulls Toxiproxy, then it is the version the native lab builds', () => {
    const build = goTools.find((tool) => tool.name === 'toxiproxy-server')!.builds[0]!;
    if (build.kind === 'repo') throw new Error('Toxiproxy is built from its published module, which has a version');
    expect(compose.services.toxiproxy!.image).toBe(`ghcr.io/shopify/toxiproxy:${build.version.replace(/^v/, '')}`);
  });

  describe('the checks themselves', () => {
    it('when compose misses a variable the native lab sets, then the parity check names it', () => {
      const broken = copyOf(compose);
      const { CHAOS_URL: _dropped, ...rest } = environmentOf(broken.services.worker!).env;
      broken.services.worker!.environment = rest;
      expect(parityProblems(broken)).toEqual(['worker: the native lab sets CHAOS_URL, compose does not']);
    });

    it('when the shop is pointed at Postgres directly, then the parity check says it bypasses Toxiproxy', () => {
      const broken = copyOf(compose);
      broken.services.payments!.environment = { ...environmentOf(broken.services.payments!).env, DATABASE_URL: 'postgres://postgres@postgres:5432/shop' };
      expect(parityProblems(broken)).toEqual(['payments: DATABASE_URL reaches toxiproxy proxy postgres natively but postgres in compose']);
    });
  });
});
