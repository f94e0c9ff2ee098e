/**
 * Reading docker-compose.yml the way Compose would, for static checks: no Docker engine runs on
 * the project's machines, so these checks are what keeps the compose path honest. Each check
 * returns a list of problems (empty when all is well) so a test can show it also fails on a
 * broken file.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import type { z } from 'zod';
import { apiConfigSchema } from '@firedrill/api';
import { controllerConfigSchema } from '@firedrill/chaos';
import { paymentsConfigSchema } from '@firedrill/payments';
import { workerConfigSchema } from '@firedrill/worker';
import { trainingConfigSchema } from '@firedrill/training';
import { consoleConfigSchema } from '@firedrill/console';
import { composePorts } from '../../src/compose/compose-configs.ts';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

export interface ComposeService {
  image?: string;
  build?: string | { context?: string; dockerfile?: string; args?: Record<string, unknown> | string[] };
  command?: string | string[] | null;
  environment?: Record<string, unknown> | string[];
  ports?: Array<string | number | { target?: number | string; published?: number | string }>;
  depends_on?: string[] | Record<string, { condition: string; required?: boolean }>;
  healthcheck?: { test?: string | string[]; disable?: boolean | string };
  user?: string;
  mem_limit?: string | number;
  deploy?: { resources?: { limits?: { memory?: string } } } | null;
  restart?: string;
  volumes?: Array<string | { type: string; source?: string; target?: string }>;
}

export interface ComposeFile {
  name?: string;
  version?: string;
  services: Record<string, ComposeService>;
  volumes?: Record<string, unknown>;
  [key: string]: unknown;
}

export function readComposeText(): string {
  return readFileSync(path.join(repoRoot, 'docker-compose.yml'), 'utf8');
}

/** YAML 1.2 core schema, as Compose reads it: `on`/`yes` stay strings. `<<` merge keys are honoured. */
export function parseCompose(text: string): ComposeFile {
  return parse(text, { merge: true }) as ComposeFile;
}

export function loadCompose(): ComposeFile {
  return parseCompose(readComposeText());
}

/** A deep copy to break on purpose in a test, leaving the real file's parse untouched. */
export function copyOf<T>(value: T): T {
  return structuredClone(value);
}

/**
 * The lab's Node processes: their config schema (the env contract) and the path their health
 * check asks (the native lab asks the same one: lab/src/topology/lab-processes.ts).
 */
export const nodeServices = {
  api: { schema: apiConfigSchema, readyPath: '/api/health/ready' },
  payments: { schema: paymentsConfigSchema, readyPath: '/payments/health/ready' },
  worker: { schema: workerConfigSchema, readyPath: '/health/ready' },
  chaos: { schema: controllerConfigSchema, readyPath: '/health/live' },
  training: { schema: trainingConfigSchema, readyPath: '/health/ready' },
  console: { schema: consoleConfigSchema, readyPath: '/health/live' },
} satisfies Record<string, { schema: z.ZodObject; readyPath: string }>;

export type NodeServiceName = keyof typeof nodeServices;
export const nodeServiceNames = Object.keys(nodeServices) as NodeServiceName[];

/** The shop's services, which compose builds with SERVICE=<name> and the native lab runs from services/. */
export const shopServiceNames = ['api', 'payments', 'worker'] as const satisfies readonly NodeServiceName[];

/** Toxiproxy's proxies as compose configures them (generated from the native lab's list). */
export function readToxiproxyProxies(): Array<{ name: string; listen: string; upstream: string; enabled: boolean }> {
  return JSON.parse(readFileSync(path.join(repoRoot, 'compose/toxiproxy.json'), 'utf8'));
}

/**
 * Ports of the images that take no PORT variable: the lab's processes as compose runs them
 * (lab/src/compose), Grafana and Jaeger (UI and OTLP/HTTP). Toxiproxy listens on its API port
 * and on every proxy's port.
 */
export function infraPortsOf(name: string): number[] {
  if (name === 'toxiproxy') return [composePorts.toxiproxy!, ...readToxiproxyProxies().map((proxy) => Number(proxy.listen.split(':').at(-1)))];
  const extra: Record<string, number[]> = { grafana: [3000], jaeger: [16686, 4318] };
  const port = composePorts[name];
  return port === undefined ? (extra[name] ?? []) : [port];
}

/** A one-shot service (tokens, database creation) runs to completion; `restart: "no"` says so. */
export function isOneShot(service: ComposeService): boolean {
  return service.restart === 'no';
}

/** Variables a Node service may receive beyond its schema: OpenTelemetry's own and Node's. */
export function isAllowedExtraVariable(name: string): boolean {
  return name.startsWith('OTEL_') || name === 'NODE_OPTIONS';
}

/**
 * The service's environment as the process would see it: list or map form, values as strings,
 * `${VAR:-default}` resolved to its default. A bare `${VAR}` depends on the instructor's shell,
 * so it is reported instead of guessed.
 */
export function environmentOf(service: ComposeService): { env: Record<string, string>; problems: string[] } {
  const entries: Array<[string, unknown]> = Array.isArray(service.environment)
    ? service.environment.map((line) => {
        const at = line.indexOf('=');
        return at === -1 ? [line, undefined] : [line.slice(0, at), line.slice(at + 1)];
      })
    : Object.entries(service.environment ?? {});
  const env: Record<string, string> = {};
  const problems: string[] = [];
  for (const [name, raw] of entries) {
    if (raw === undefined || raw === null) {
      problems.push(`${name} has no value in the file (it would be taken from the host's environment)`);
      continue;
    }
    const value = String(raw).replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)(:?-([^}]*))?\}/g, (whole, variable: string, hasDefault?: string, fallback?: string) => {
      if (hasDefault === undefined) problems.push(`${name} depends on the host variable ${variable} with no default`);
      return fallback ?? whole;
    });
    env[name] = value;
  }
  return { env, problems };
}

/** Container port, host port and host address of each `ports` entry (short or long syntax). */
export function portsOf(service: ComposeService): Array<{ published?: number; target: number; hostIp?: string }> {
  return (service.ports ?? []).map((entry) => {
    if (typeof entry === 'object') {
      const hostIp = (entry as { host_ip?: string }).host_ip;
      return { target: Number(entry.target), ...(entry.published !== undefined && { published: Number(entry.published) }), ...(hostIp && { hostIp }) };
    }
    // [HOST_IP:][HOST_PORT:]CONTAINER_PORT[/PROTOCOL]
    const parts = String(entry)
      .replace(/\/\w+$/, '')
      .split(':');
    const target = Number(parts.at(-1));
    const published = parts.length > 1 ? Number(parts.at(-2)) : undefined;
    const hostIp = parts.length > 2 ? parts.slice(0, -2).join(':') : undefined;
    return { target, ...(published !== undefined && { published }), ...(hostIp && { hostIp }) };
  });
}

export function dependenciesOf(service: ComposeService): Array<{ name: string; condition: string }> {
  const deps = service.depends_on ?? [];
  if (Array.isArray(deps)) return deps.map((name) => ({ name, condition: 'service_started' }));
  return Object.entries(deps).map(([name, spec]) => ({ name, condition: spec.condition }));
}

export function hasHealthcheck(service: ComposeService): boolean {
  const check = service.healthcheck;
  if (!check || check.disable === true || check.disable === 'true' || check.test === undefined) return false;
  const test = Array.isArray(check.test) ? check.test : [check.test];
  return test.length > 0 && test[0] !== 'NONE';
}

export function healthcheckText(service: ComposeService): string {
  const test = service.healthcheck?.test;
  return Array.isArray(test) ? test.join(' ') : (test ?? '');
}

export function memoryLimitOf(service: ComposeService): string | number | undefined {
  return service.mem_limit ?? service.deploy?.resources?.limits?.memory;
}

export function buildArgsOf(service: ComposeService): Record<string, string> {
  if (typeof service.build !== 'object' || !service.build.args) return {};
  const args = service.build.args;
  if (Array.isArray(args)) return Object.fromEntries(args.map((line) => line.split('=', 2) as [string, string]));
  return Object.fromEntries(Object.entries(args).map(([key, value]) => [key, String(value)]));
}

// ---------------------------------------------------------------------------------------------
// Checks

/**
 * A Node service's environment against its zod config schema: it parses, every name is one the
 * service reads (or OTEL_* / NODE_OPTIONS), and HOST listens on every interface, as a container
 * must for other containers and published ports to reach it.
 */
export function checkServiceEnvironment(compose: ComposeFile, name: NodeServiceName): string[] {
  const service = compose.services[name];
  if (!service) return [`service ${name} is not defined`];
  const { schema } = nodeServices[name];
  const { env, problems } = environmentOf(service);
  const known = new Set(Object.keys(schema.shape));
  for (const variable of Object.keys(env)) {
    if (!known.has(variable) && !isAllowedExtraVariable(variable)) {
      problems.push(`${name}: ${variable} is not a variable the service reads (see services/${name}/src/config.ts)`);
    }
  }
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) problems.push(`${name}: ${issue.path.join('.')}: ${issue.message}`);
  }
  if (env.HOST !== '0.0.0.0') problems.push(`${name}: HOST must be 0.0.0.0 in a container (got ${env.HOST ?? 'the default, loopback only'})`);
  return problems;
}

/** The ports a service listens on inside its container, as the other containers reach it. */
export function listeningPortsOf(compose: ComposeFile, name: string): number[] {
  if (name in nodeServices) {
    const service = compose.services[name];
    if (!service) return [];
    const parsed = nodeServices[name as NodeServiceName].schema.safeParse(environmentOf(service).env);
    return parsed.success ? [(parsed.data as { PORT: number }).PORT] : [];
  }
  return infraPortsOf(name);
}

/** The one port of a service that listens on one (a Node service's PORT). */
export function listeningPortOf(compose: ComposeFile, name: string): number | undefined {
  const ports = listeningPortsOf(compose, name);
  return ports.length === 1 ? ports[0] : undefined;
}

/**
 * Every URL in a Node service's environment that names a compose service must use the port
 * that service listens on (api calling payments, everyone reaching postgres and redis).
 */
/**
 * URLs a service reaches only when asked, never to start: the training process reaches the chaos
 * controller, Prometheus and the shop when a run starts. Waiting for them would be a cycle (the shop
 * waits for training, for its flags), so their depends_on is not required. The console reaches the
 * chaos controller only when the instructor injects, clears or halts.
 */
const reachedOnDemand: Partial<Record<NodeServiceName, readonly string[]>> = {
  training: ['CHAOS_URL', 'PROMETHEUS_URL', 'API_URL', 'PAYMENTS_URL'],
  console: ['CHAOS_URL'],
};

export function checkServiceUrls(compose: ComposeFile, name: NodeServiceName): string[] {
  const service = compose.services[name];
  if (!service) return [`service ${name} is not defined`];
  const problems: string[] = [];
  for (const [variable, value] of Object.entries(environmentOf(service).env)) {
    if (!variable.endsWith('_URL')) continue;
    let url: URL;
    try {
      url = new URL(value);
    } catch {
      problems.push(`${name}: ${variable} is not a URL: ${value}`);
      continue;
    }
    const target = url.hostname;
    if (!(target in compose.services)) {
      problems.push(`${name}: ${variable} points at ${target}, which is not a service of this file`);
      continue;
    }
    const expected = listeningPortsOf(compose, target);
    const actual = Number(url.port || defaultPortOf(url.protocol));
    if (!expected.includes(actual))
      problems.push(`${name}: ${variable} uses port ${actual} but ${target} listens on ${expected.join(', ') || 'no known port'}`);
    if (!reachedOnDemand[name]?.includes(variable) && !dependenciesOf(service).some((dep) => dep.name === target)) {
      problems.push(`${name}: ${variable} needs ${target}, which is missing from its depends_on`);
    }
  }
  return problems;
}

function defaultPortOf(protocol: string): number {
  return ({ 'http:': 80, 'https:': 443, 'postgres:': 5432, 'postgresql:': 5432, 'redis:': 6379 } as Record<string, number>)[protocol] ?? NaN;
}

/**
 * depends_on names defined services and waits for them to be ready: healthy for a long-running
 * service (which must then have a healthcheck), completed successfully for a one-shot.
 */
export function checkDependencies(compose: ComposeFile): string[] {
  const problems: string[] = [];
  for (const [name, service] of Object.entries(compose.services)) {
    for (const dep of dependenciesOf(service)) {
      const target = compose.services[dep.name];
      if (!target) {
        problems.push(`${name} depends on ${dep.name}, which is not defined`);
        continue;
      }
      const wanted = isOneShot(target) ? 'service_completed_successfully' : 'service_healthy';
      if (!isOneShot(target) && !hasHealthcheck(target)) problems.push(`${name} depends on ${dep.name}, which has no healthcheck`);
      if (dep.condition !== wanted) problems.push(`${name} starts when ${dep.name} is ${dep.condition}, not ${wanted}`);
    }
  }
  return problems.concat(findDependencyCycles(compose));
}

function findDependencyCycles(compose: ComposeFile): string[] {
  const problems: string[] = [];
  const visiting = new Set<string>();
  const done = new Set<string>();
  const visit = (name: string, trail: string[]): void => {
    if (done.has(name)) return;
    if (visiting.has(name)) {
      problems.push(`depends_on cycle: ${[...trail, name].join(' -> ')}`);
      return;
    }
    visiting.add(name);
    for (const dep of dependenciesOf(compose.services[name] ?? {})) visit(dep.name, [...trail, name]);
    visiting.delete(name);
    done.add(name);
  };
  for (const name of Object.keys(compose.services)) visit(name, []);
  return problems;
}

/** Every service a memory limit; every long-running one a healthcheck and a restart policy. */
export function checkServiceBasics(compose: ComposeFile): string[] {
  const problems: string[] = [];
  for (const [name, service] of Object.entries(compose.services)) {
    if (memoryLimitOf(service) === undefined) problems.push(`${name} has no memory limit (mem_limit or deploy.resources.limits.memory)`);
    if (isOneShot(service)) continue;
    if (!hasHealthcheck(service)) problems.push(`${name} has no healthcheck`);
    if (!service.restart) problems.push(`${name} has no restart policy`);
  }
  return problems;
}

/**
 * Node services: the healthcheck asks the service's own readiness endpoint on its PORT, and any
 * published port maps to that PORT. Infrastructure: published ports map to the image's port.
 */
export function checkPorts(compose: ComposeFile): string[] {
  const problems: string[] = [];
  for (const [name, service] of Object.entries(compose.services)) {
    if (isOneShot(service)) continue;
    const ports = listeningPortsOf(compose, name);
    if (ports.length === 0) {
      problems.push(`${name}: cannot tell which port it listens on`);
      continue;
    }
    for (const mapping of portsOf(service)) {
      if (!ports.includes(mapping.target)) problems.push(`${name} publishes container port ${mapping.target}, but it listens on ${ports.join(', ')}`);
    }
    if (name in nodeServices) {
      const url = `http://127.0.0.1:${ports[0]}${nodeServices[name as NodeServiceName].readyPath}`;
      if (!healthcheckText(service).includes(url)) problems.push(`${name}: the healthcheck does not ask ${url}`);
    }
  }
  return problems;
}
