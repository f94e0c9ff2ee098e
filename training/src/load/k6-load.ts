import type { PrometheusClient } from '@firedrill/kit';
import { existsSync, mkdirSync, openSync, closeSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { durationSeconds, isLoadProfile, loadProfiles, profileDefaults, type LoadProfile } from './load-profiles.ts';
import { spawnK6, type K6Exit } from './k6-process.ts';

const repoRoot = path.resolve(import.meta.dirname, '..', '..', '..');
/** Where the k6 scripts of scenario files live: `script: shop-journey` is scenarios/load/shop-journey.ts. */
export const loadScriptsDir = path.join(repoRoot, 'scenarios', 'load');

export interface LoadRequest {
  /** A script in scenarios/load by name (`shop-journey`), or a path to a .ts/.js script. */
  script: string;
  profile: LoadProfile;
  /** Visits started per second at the profile's level; the profile's default when absent. */
  rate?: number;
  /** k6 duration (`90s`, `10m`); the profile's default when absent. Also the load's upper bound. */
  duration?: string;
  /** The api the shoppers use, e.g. http://127.0.0.1:7400. */
  baseUrl: string;
  /** Prometheus (base URL) to remote-write k6's series to; none: k6 keeps its figures to itself. */
  prometheus?: PrometheusClient | undefined;
  /** Tags every series (`testid`), so the k6 dashboard can pick the run. */
  testId: string;
  /** k6's output (its log lines as JSON, then its end-of-test summary). The summary goes beside it. */
  logFile: string;
  /** More script settings (THINK_SCALE, CHECKOUT_SHARE, DECLINE_SHARE...). */
  scriptEnv?: Record<string, string>;
}

/** What a finished load did, from k6's end-of-test summary. Times in milliseconds. */
export interface LoadSummary {
  exit: K6Exit;
  /** Every threshold held (k6 exits 99 when one is crossed). */
  thresholdsPassed: boolean;
  /** Thresholds crossed, as `metric: expression` (e.g. `http_req_duration{step:checkout}: p(95)<2000`). */
  crossed: string[];
  iterations: number;
  requests: number;
  /** Share of requests k6 counted as failed (status not expected for that request). */
  failedShare: number;
  checks: { passed: number; failed: number };
  /** Request duration p95 per step tag, for the steps the script measured. */
  p95ByStep: Record<string, number>;
}

export interface LoadRun {
  readonly testId: string;
  readonly pid: number;
  /** Resolves when k6 ends: at its duration, on stop(), or if it fails to start. */
  readonly exited: Promise<K6Exit>;
  /** Stops the load now (graceful, then forced after `graceMs`); resolves once k6 is gone. */
  stop(graceMs?: number): Promise<K6Exit>;
  /** Waits for the end, then reads k6's summary; undefined if k6 wrote none (it never ran). */
  summary(): Promise<LoadSummary | undefined>;
}

/** Which trend stats go to Prometheus: the k6 dashboard plots p50/p95/p99 (k6_http_req_duration_p95…). */
const remoteWriteTrendStats = 'p(50),p(95),p(99),avg';

export function resolveLoadScript(script: string): string {
  const file = /\.(ts|js)$/.test(script) ? path.resolve(script) : path.join(loadScriptsDir, `${script}.ts`);
  if (!existsSync(file)) throw new Error(`no load script ${script} (looked for ${file})`);
  return file;
}

/**
 * Starts k6 on a load script for a run. The load never outlives the run: stop() ends it, the
 * process exiting kills it, and k6's own duration bounds it if all else fails.
 */
export function startLoad(request: LoadRequest): LoadRun {
  const script = resolveLoadScript(request.script);
  if (!isLoadProfile(request.profile)) throw new Error(`unknown load profile ${request.profile}; use one of ${loadProfiles.join(', ')}`);
  const rate = request.rate ?? profileDefaults[request.profile].rate;
  if (!Number.isFinite(rate) || rate <= 0) throw new Error(`load rate ${rate} must be above 0 visits per second`);
  const duration = request.duration ?? profileDefaults[request.profile].duration;
  if (durationSeconds(duration) === undefined) throw new Error(`load duration ${duration} must be a k6 duration such as 30s, 10m or 1m30s`);
  if (!/^[\w.:-]{1,100}$/.test(request.testId)) throw new Error(`testId ${request.testId} must be 1–100 letters, digits, '.', ':', '_' or '-'`);

  mkdirSync(path.dirname(request.logFile), { recursive: true });
  const summaryFile = request.logFile.replace(/(\.[^./]*)?$/, '.summary.json');
  const scriptEnv = { ...request.scriptEnv, BASE_URL: request.baseUrl, PROFILE: request.profile, RATE: String(rate), DURATION: duration };
  const args = [
    '--quiet',
    '--no-color',
    '--log-format=json',
    // Only what is passed here reaches the script, not this process's environment.
    '--include-system-env-vars=false',
    ...Object.entries(scriptEnv).flatMap(([name, value]) => ['-e', `${name}=${value}`]),
    '--tag',
    `testid=${request.testId}`,
    '--summary-export',
    summaryFile,
    ...(request.prometheus ? ['-o', 'experimental-prometheus-rw'] : []),
  ];
  const { prometheus } = request;
  const env: Record<string, string> = prometheus
    ? {
        K6_PROMETHEUS_RW_SERVER_URL: `${prometheus.url}/api/v1/write`,
        K6_PROMETHEUS_RW_TREND_STATS: remoteWriteTrendStats,
        // Prometheus behind basic auth: k6's output sends it (in k6's environment only, never on its command line).
        ...(prometheus.credentials
          ? { K6_PROMETHEUS_RW_USERNAME: prometheus.credentials.username, K6_PROMETHEUS_RW_PASSWORD: prometheus.credentials.password }
          : {}),
      }
    : {};

  // k6 writes into the log file itself, so its output survives this process.
  const log = openSync(request.logFile, 'a');
  const k6 = (() => {
    try {
      return spawnK6({ script, args, env, stdio: ['ignore', log, log] });
    } finally {
      closeSync(log);
    }
  })();

  return {
    testId: request.testId,
    pid: k6.pid,
    exited: k6.exited,
    stop: (graceMs) => k6.stop(graceMs),
    async summary() {
      const exit = await k6.exited;
      if (!existsSync(summaryFile)) return undefined;
      return readSummary(JSON.parse(readFileSync(summaryFile, 'utf8')) as K6SummaryExport, exit);
    },
  };
}

/** The parts of k6's --summary-export JSON read here. */
interface K6SummaryExport {
  metrics: Record<string, Record<string, unknown> & { thresholds?: Record<string, boolean | { ok: boolean }> }>;
}

export function readSummary(exported: K6SummaryExport, exit: K6Exit): LoadSummary {
  const m = exported.metrics;
  const num = (metric: string, stat: string) => {
    const value = m[metric]?.[stat];
    return typeof value === 'number' ? value : 0;
  };
  const crossed: string[] = [];
  for (const [metric, values] of Object.entries(m)) {
    for (const [expression, verdict] of Object.entries(values.thresholds ?? {})) {
      // k6's export says `true` when a threshold was crossed (its "failed" flag), or {ok} in newer shapes.
      const failed = typeof verdict === 'boolean' ? verdict : !verdict.ok;
      if (failed) crossed.push(`${metric}: ${expression}`);
    }
  }
  const p95ByStep: Record<string, number> = {};
  for (const [metric, values] of Object.entries(m)) {
    const step = /^http_req_duration\{step:(\w+)\}$/.exec(metric)?.[1];
    if (step && typeof values['p(95)'] === 'number') p95ByStep[step] = values['p(95)'];
  }
  return {
    exit,
    thresholdsPassed: crossed.length === 0,
    crossed,
    iterations: num('iterations', 'count'),
    requests: num('http_reqs', 'count'),
    failedShare: num('http_req_failed', 'value'),
    checks: { passed: num('checks', 'passes'), failed: num('checks', 'fails') },
    p95ByStep,
  };
}
