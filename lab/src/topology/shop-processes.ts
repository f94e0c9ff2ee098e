import path from 'node:path';
import { maxWorkers, workerReplicaPort } from '@firedrill/lab-infra';
import { chaosTokenFiles } from '../chaos/chaos-tokens.ts';
import type { LabConfig } from '../config/lab-config.ts';
import { strippedSourcesDir, strippedSourcesEnv, strippedSourcesLoader } from '../runtime/stripped-sources.ts';
import { httpOk } from '../supervisor/health-checks.ts';
import { httpUrl as http, shopDatabaseUrl } from './lab-addresses.ts';
import { shopPoolMax } from './postgres-connections.ts';
import type { ProcessSpec } from './process-spec.ts';
import { redisUrlAs, shopRedisCredentials } from './redis-users.ts';
import { shopAccounts, type ShopAccounts } from './shop-accounts.ts';
import { serviceBaseEnv } from './service-env.ts';

/** The api's heap bound (MB): far above its ordinary use (~60 MB), under compose's 384 MB limit. */
export const apiHeapLimitMb = 192;

/**
 * V8's young generation per shop process (MB per semi-space). Left alone, Node 24 grows it to
 * 16 MB (32 MB committed with its twin) within a minute of an idle service's allocations: half of
 * a service's JavaScript heap, paid by every team of a class (decision 0015, "a team's memory").
 * A shop object lives one request or one job, so a small nursery promotes little; the extra
 * scavenges were within the noise of bench:checkout-cpu (decision 0003). Native lab only: a
 * Compose container runs one shop.
 */
export const shopSemiSpaceMb = 2;

/**
 * Where one shop lives: the single lab's shop, or one team's in a class (team-shops.ts). Its
 * stores are reached through its own Toxiproxy listeners, so network faults act on its path alone.
 */
export interface ShopPlace {
  /** The team, in a class; absent for the single lab. */
  team?: string;
  /** Prefix of its process names: '' for the single lab, 'blue-' for team blue. */
  namePrefix: string;
  ports: { api: number; payments: number; worker: number };
  /** Its Redis server's process: `redis` (the single lab's), `blue-redis` (team blue's own). */
  redisProcess: string;
  /** worker-2 … worker-N's ports. */
  workerReplicaPort(index: number): number;
  /**
   * Its own Postgres role and Redis user (shop-accounts.ts). The URLs carry their passwords: read
   * when a process starts, never when the processes are listed (`lab logs` as a trainee).
   */
  databaseUrl(): string;
  redisUrl(): string;
  queuePrefix: string;
}

/** A shop's place from its accounts and its Toxiproxy listeners. */
export function shopStorePlace(config: LabConfig, shop: ShopAccounts, proxies: { postgresProxy: number; redisProxy: number }) {
  return {
    databaseUrl: () => shopDatabaseUrl(config, shop, proxies.postgresProxy),
    redisUrl: () => redisUrlAs(shopRedisCredentials(config, shop), proxies.redisProxy),
    queuePrefix: shop.queuePrefix,
  };
}

/** The single lab's shop (no teams): the ports and stores it has always had. */
export function singleShop(config: LabConfig): ShopPlace {
  return {
    namePrefix: '',
    ports: config.ports,
    redisProcess: 'redis',
    workerReplicaPort: (index) => workerReplicaPort(config.ports, index),
    ...shopStorePlace(config, shopAccounts(config), config.ports),
  };
}

/** A shop's api, payments and worker processes (the worker scalable), in start order. */
export function shopProcesses(config: LabConfig, shop: ShopPlace): ProcessSpec[] {
  const { ports } = config;
  const tokens = chaosTokenFiles(config);
  const name = (service: string) => `${shop.namePrefix}${service}`;
  /**
   * Every shop service carries the chaos agent, which asks the controller for its faults (a
   * team's agent only for its team's), and evaluates flags from the training process (with the
   * same agent token).
   */
  const agentEnv = { CHAOS_URL: http(ports.chaos), CHAOS_AGENT_TOKEN_FILE: tokens.agent, ...(shop.team && { CHAOS_TEAM: shop.team }) };
  /** The services that read feature flags (the worker has none) poll the training process for them. */
  const flagsEnv = { FLAGS_URL: http(ports.training) };

  /** A shop service; `program` is the service a replica (worker-2) runs. */
  const service = (
    processName: string,
    port: number,
    readyPath: string,
    dependsOn: string[],
    env: () => Record<string, string>,
    program: string,
  ): ProcessSpec => ({
    name: processName,
    kind: 'service',
    ...(shop.team && { team: shop.team }),
    port,
    url: http(port),
    dependsOn,
    restartOnCrash: true,
    versioned: true,
    health: httpOk(`${http(port)}${readyPath}`),
    launch: () => ({
      command: process.execPath,
      args: [
        ...(config.cpuProfDir ? ['--cpu-prof', `--cpu-prof-dir=${config.cpuProfDir}`] : []),
        `--max-semi-space-size=${shopSemiSpaceMb}`,
        // First, before any .ts file (the telemetry one is): the shop's TypeScript runs from the
        // sources the supervisor stripped at start, so no shop process loads Node's TypeScript
        // stripper (~24 MiB each; docs/decisions/0001, "The stripped-source cache"). Native lab only.
        '--import',
        strippedSourcesLoader,
        '--import',
        '@firedrill/kit/telemetry',
        path.join(config.repoRoot, 'services', program, 'src', 'main.ts'),
      ],
      cwd: config.repoRoot,
      env: {
        ...serviceBaseEnv(config, program),
        [strippedSourcesEnv]: strippedSourcesDir(config.stateDir),
        HOST: '127.0.0.1',
        PORT: String(port),
        ...env(),
      },
      writesJsonLines: true,
    }),
  });
  const workerEnv = () => ({
    DATABASE_URL: shop.databaseUrl(),
    DB_POOL_MAX: String(shopPoolMax.worker),
    REDIS_URL: shop.redisUrl(),
    QUEUE_PREFIX: shop.queuePrefix,
    ...agentEnv,
  });
  const workerDependsOn = ['postgres', shop.redisProcess, 'toxiproxy', 'chaos'];

  return [
    // The shop waits for training so its flags apply from the first request (without it, they keep their defaults).
    service(
      name('payments'),
      shop.ports.payments,
      '/payments/health/ready',
      ['postgres', 'toxiproxy', 'chaos', 'training'],
      () => ({
        DATABASE_URL: shop.databaseUrl(),
        DB_POOL_MAX: String(shopPoolMax.payments),
        ...agentEnv,
        ...flagsEnv,
      }),
      'payments',
    ),
    service(
      name('api'),
      shop.ports.api,
      '/api/health/ready',
      ['postgres', shop.redisProcess, 'toxiproxy', 'chaos', 'training', name('payments')],
      () => ({
        DATABASE_URL: shop.databaseUrl(),
        DB_POOL_MAX: String(shopPoolMax.api),
        REDIS_URL: shop.redisUrl(),
        QUEUE_PREFIX: shop.queuePrefix,
        PAYMENTS_URL: http(shop.ports.payments),
        // A bounded heap, as in a container: a memory-leak fault ends in "JavaScript heap out of
        // memory" and a restart by the supervisor, not in the machine swapping. Same in compose.
        NODE_OPTIONS: `--max-old-space-size=${apiHeapLimitMb}`,
        ...agentEnv,
        ...flagsEnv,
      }),
      'api',
    ),
    {
      ...service(name('worker'), shop.ports.worker, '/health/ready', workerDependsOn, workerEnv, 'worker'),
      // `lab scale worker N`: worker-2 … worker-N, the same program on ports of their own.
      scalable: {
        max: maxWorkers,
        replica: (index) => service(name(`worker-${index}`), shop.workerReplicaPort(index), '/health/ready', workerDependsOn, workerEnv, 'worker'),
      },
    },
  ];
}
