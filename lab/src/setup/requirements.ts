import path from 'node:path';
import { which, postgresBinDir } from '@firedrill/lab-infra';
import { repoRoot } from '../config/lab-config.ts';

const systemDirs = ['/usr/bin', '/usr/local/bin', '/usr/sbin'];

/** Something the lab needs from the machine, where to look for it, and how to get it. */
export interface SystemRequirement {
  name: string;
  find(): string | undefined;
  /** Debian package that provides it. */
  aptPackage: string;
}

/** A tool built from its Go module into toolsBinDir() (Debian's packages are too old or absent). */
export interface GoTool {
  name: string;
  /** Tried in order: the first that builds wins. */
  builds: GoBuild[];
}

export type GoBuild =
  /** `go get module@version` in a scratch module, then `go build -o <bin>/<name> pkg`. */
  | { kind: 'build'; module: string; version: string; pkg: string }
  /** `GOBIN=<dir> go install pkg@version`, for tools whose binary already has the right name. */
  | { kind: 'install'; pkg: string; version: string }
  /** `go build -o <bin>/<name> .` in a Go module of this repository (its go.sum pins what it uses). */
  | { kind: 'repo'; dir: string };

/**
 * A Python command-line tool, pip-installed at a pinned version into a virtualenv of its own
 * beside toolsBinDir() and linked into it (Debian's packages are too old or absent, and pip
 * refuses to install into Debian's own Python).
 */
export interface PythonTool {
  /** The command, as linked into toolsBinDir(). */
  name: string;
  /** The PyPI package and its pinned version. */
  pypiPackage: string;
  version: string;
}

export const systemRequirements: SystemRequirement[] = [
  { name: 'postgres (server binaries)', find: postgresBinDir, aptPackage: 'postgresql' },
  { name: 'redis-server', find: () => which('redis-server', systemDirs), aptPackage: 'redis-server' },
  { name: 'prometheus', find: () => which('prometheus', systemDirs), aptPackage: 'prometheus' },
  { name: 'promtool', find: () => which('promtool', systemDirs), aptPackage: 'prometheus' },
  { name: 'alertmanager', find: alertmanagerPath, aptPackage: 'prometheus-alertmanager' },
  { name: 'postgres exporter', find: () => which('prometheus-postgres-exporter', systemDirs), aptPackage: 'prometheus-postgres-exporter' },
  { name: 'redis exporter', find: () => which('prometheus-redis-exporter', systemDirs), aptPackage: 'prometheus-redis-exporter' },
];

/** Debian names the binary prometheus-alertmanager; upstream tarballs call it alertmanager. */
export function alertmanagerPath(): string | undefined {
  return which('prometheus-alertmanager', systemDirs) ?? which('alertmanager', systemDirs);
}

export const goTools: GoTool[] = [
  {
    name: 'k6',
    builds: [
      // `go install go.k6.io/k6/v2@…` trips over a deprecation lookup; building inside a scratch module does not.
      { kind: 'build', module: 'go.k6.io/k6/v2', version: 'v2.2.0', pkg: 'go.k6.io/k6/v2' },
      { kind: 'install', pkg: 'go.k6.io/k6', version: 'v1.8.1' },
    ],
  },
  {
    name: 'toxiproxy-server',
    builds: [
      { kind: 'build', module: 'github.com/Shopify/toxiproxy/v2', version: 'v2.12.0', pkg: 'github.com/Shopify/toxiproxy/v2/cmd/server' },
      { kind: 'build', module: 'github.com/Shopify/toxiproxy/v2', version: 'v2.9.0', pkg: 'github.com/Shopify/toxiproxy/v2/cmd/server' },
    ],
  },
  {
    // The Helm chart's tests lint and render deploy/helm/firedrill with it (test/helm).
    name: 'helm',
    builds: [{ kind: 'install', pkg: 'helm.sh/helm/v3/cmd/helm', version: 'v3.22.0' }],
  },
  {
    // Checks every object helm renders against Kubernetes' own types (deploy/helm/validate/main.go).
    // Built after helm: it uses the same k8s.io modules, already compiled in Go's build cache.
    name: 'firedrill-k8s-validate',
    builds: [{ kind: 'repo', dir: path.join(repoRoot, 'deploy', 'helm', 'validate') }],
  },
  {
    // A team's way to Prometheus enforces team="<team>" on every query (lab/src/topology/team-prometheus-processes.ts).
    name: 'prom-label-proxy',
    builds: [{ kind: 'install', pkg: 'github.com/prometheus-community/prom-label-proxy', version: 'v0.11.1' }],
  },
];

export const pythonTools: PythonTool[] = [
  // The tests fuzz every service's OpenAPI document with it (test/openapi-fuzz/run-schemathesis.ts).
  { name: 'schemathesis', pypiPackage: 'schemathesis', version: '4.32.5' },
];
