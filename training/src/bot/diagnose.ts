import type { FiringAlert, Observations, ReleaseRecord } from './observations.ts';

/** One lever the runbooks point at for what was observed, and why. */
export interface Candidate {
  /** The lever as the ops API takes it: "rollback payments", "flag api.degraded-mode true". */
  lever: string;
  /** What the runbook says it does: ends the cause, only eases it, or undoes an earlier easing. */
  effect: 'ends' | 'eases' | 'restores';
  /** The observations that point at it, in words a trainee would write in the incident channel. */
  evidence: string[];
  /** The runbook page whose "Levers" section names it. */
  runbook: string;
  /** A lever the same runbook pulls right after this one (worker-dead-letter restarts the worker). */
  andThen?: string;
}

export interface Diagnosis {
  /** What is wrong, as observed (empty: nothing the runbooks describe). */
  symptoms: string[];
  /** Levers to try, best first; the responder pulls the first it has not pulled yet. */
  candidates: Candidate[];
  /**
   * The symptom is getting worse by itself (a heap climbing again): whoever sees it does not wait
   * for the probes to fail before escalating.
   */
  worsening: boolean;
}

/**
 * The runbooks' thresholds, the same as the symptom alerts' (prometheus/rules/symptom-alerts.yml)
 * so the bot calls a signal bad when the alert would.
 */
export const thresholds = {
  p95Seconds: 0.3,
  paymentFailureRatio: 0.1,
  heartbeatStaleSeconds: 15,
  backlogJobs: 10,
  outboxOldestSeconds: 15,
  /** Redis used / maxmemory from which writes are about to be refused (noeviction). */
  redisFullRatio: 0.95,
  /**
   * A heap climbing this fast, having reached this much, is leaking, not warming up: the api uses
   * ~60 MB of heap (its bound is 192 MB), and a fresh process climbs to that within a minute or
   * two, which the slope alone would take for a leak. The slope is the steepest 30 s one of the
   * last 3 minutes (observations.ts), so it is set well above a healthy heap's garbage-collection
   * wobble.
   */
  heapSlopeBytesPerMinute: 30 * 2 ** 20,
  heapUsedFloorBytes: 100 * 2 ** 20,
  /** More calls per charge than this and the api's retries multiply the load on payments. */
  attemptsPerCharge: 1.5,
  /** A deploy this long before the symptom is still a suspect. */
  releaseWindowMs: 30 * 60_000,
  crashLoopStarts: 2,
} as const;

/** The shop's default retries per charge (api.payment-retries): what lowering them goes back to. */
const defaultPaymentRetries = 3;
/** Redis maxmemory the bot raises to at least: the lab's Redis holds a day of queue in far less. */
const redisRaiseFloorMb = 256;

/**
 * From symptoms to levers, the way the runbooks in docs/runbooks/ go: find where it hurts, check
 * whether it began with a release, and take that page's "Levers" in order. Pure: the same
 * observations always give the same answer, and every branch is tested with hand-built ones.
 */
export function diagnose(obs: Observations): Diagnosis {
  const found: Diagnosis[] = [
    retryStorm(obs),
    slowPayments(obs),
    failingPayments(obs),
    unreachableDatabase(obs),
    leakingHeap(obs),
    restartingService(obs),
    stuckWorker(obs),
    fullRedis(obs),
    degradedModeNoLongerNeeded(obs),
  ];
  const candidates: Candidate[] = [];
  for (const candidate of found.flatMap((d) => d.candidates)) {
    if (!candidates.some((c) => c.lever === candidate.lever)) candidates.push(candidate);
  }
  return { symptoms: found.flatMap((d) => d.symptoms), candidates, worsening: found.some((d) => d.worsening) };
}

const none: Diagnosis = { symptoms: [], candidates: [], worsening: false };

/** When the incident began as far as the bot can tell: its first page, or now. */
function onsetOf(obs: Observations): number {
  const fired = obs.alerts.filter(isPage).map((a) => a.firedAt);
  return fired.length > 0 ? Math.min(...fired) : obs.at;
}

export function isPage(alert: FiringAlert): boolean {
  return alert.severity === 'page' || alert.severity === 'ticket';
}

/**
 * The service's release still running that landed shortly before the symptom began: the runbooks'
 * "did it begin with a release?" (`lab releases`). A release already rolled back is not a suspect.
 */
export function suspectRelease(obs: Observations, service: string): ReleaseRecord | undefined {
  const latest = obs.releases.filter((r) => r.service === service).sort((a, b) => b.at - a.at)[0];
  if (latest?.action !== 'deploy') return undefined;
  const onset = onsetOf(obs);
  // A few seconds of slack: the first bad scrape can land within the deploy's own restart.
  return latest.at <= onset + 5_000 && onset - latest.at <= thresholds.releaseWindowMs ? latest : undefined;
}

const ms = (seconds: number) => `${Math.round(seconds * 1000)} ms`;
const mb = (bytes: number) => `${Math.round(bytes / 2 ** 20)} MB`;
const releaseWords = (r: ReleaseRecord) => `${r.service} ${r.version} deployed at ${new Date(r.at).toISOString()} (was ${r.previousVersion})`;

/** latency.md: payments slow (and the api with it, waiting for each charge). */
function slowPayments(obs: Observations): Diagnosis {
  const p95 = obs.metrics.p95Seconds.payments;
  if (p95 === undefined || p95 <= thresholds.p95Seconds) return none;
  // A retry storm also slows payments; its own rule names the cause.
  if (retryStorm(obs).candidates.length > 0) return none;
  const symptom = `payments p95 is ${ms(p95)} (over ${ms(thresholds.p95Seconds)})`;
  const candidates: Candidate[] = [];
  const release = suspectRelease(obs, 'payments');
  if (release)
    candidates.push({
      lever: 'rollback payments',
      effect: 'ends',
      evidence: [symptom, `${releaseWords(release)}, just before p95 rose`],
      runbook: 'latency.md',
    });
  if (obs.flags['payments.fraud-check'] === true)
    candidates.push({
      lever: 'flag payments.fraud-check false',
      effect: 'eases',
      evidence: [symptom, 'synchronous fraud scoring is on at payments'],
      runbook: 'latency.md',
    });
  return { symptoms: [symptom], candidates, worsening: false };
}

/** payments.md: charges fail at the card network. */
function failingPayments(obs: Observations): Diagnosis {
  const ratio = obs.metrics.paymentFailureRatio;
  if (ratio === undefined || ratio <= thresholds.paymentFailureRatio) return none;
  const byReason = [...obs.metrics.paymentFailures].sort((a, b) => b.perSecond - a.perSecond);
  const reasons = byReason.map((f) => `${f.reason} at the ${f.gateway} gateway ${f.perSecond.toFixed(2)}/s`).join(', ');
  const symptom = `${Math.round(ratio * 100)}% of charges fail${reasons ? ` (${reasons})` : ''}`;
  const candidates: Candidate[] = [];
  const release = suspectRelease(obs, 'payments');
  if (release)
    candidates.push({ lever: 'rollback payments', effect: 'ends', evidence: [symptom, `${releaseWords(release)}, just before`], runbook: 'payments.md' });
  const primaryNetwork = byReason.filter((f) => f.gateway === 'primary' && f.reason.startsWith('gateway_'));
  const primaryShare =
    primaryNetwork.reduce((s, f) => s + f.perSecond, 0) /
    Math.max(
      1e-9,
      byReason.reduce((s, f) => s + f.perSecond, 0),
    );
  if (obs.flags['payments.secondary-gateway'] !== true && primaryShare >= 0.8)
    candidates.push({
      lever: 'failover payments',
      effect: 'ends',
      evidence: [symptom, 'the failures are the primary card gateway erroring or timing out, not declines'],
      runbook: 'payments.md',
    });
  const timeout = obs.flags['api.payment-timeout-ms'];
  if (byReason.some((f) => f.reason === 'gateway_timeout') && (typeof timeout !== 'number' || timeout > 800))
    candidates.push({
      lever: 'flag api.payment-timeout-ms 800',
      effect: 'eases',
      evidence: [symptom, 'charges wait for a gateway that times out; a shorter timeout frees checkouts sooner'],
      runbook: 'payments.md',
    });
  return { symptoms: [symptom], candidates, worsening: false };
}

/** payments.md / errors.md: raised retries multiply every slow charge into a storm. */
function retryStorm(obs: Observations): Diagnosis {
  const attempts = obs.metrics.attemptsPerCharge;
  const retries = obs.flags['api.payment-retries'];
  // The shop's own retries (3) already make a failing gateway cost ~1.5 calls a charge: a storm
  // is more calls than that because someone raised them.
  if (attempts === undefined || attempts <= thresholds.attemptsPerCharge) return none;
  if (typeof retries !== 'number' || retries <= defaultPaymentRetries) return none;
  const symptom = `each charge calls payments ${attempts.toFixed(1)} times on average`;
  const candidates: Candidate[] = [
    {
      lever: `flag api.payment-retries ${defaultPaymentRetries}`,
      effect: 'ends',
      evidence: [symptom, `api.payment-retries is ${retries}, above the shop's ${defaultPaymentRetries}`],
      runbook: 'payments.md',
    },
  ];
  if (obs.flags['api.payments-circuit-breaker'] !== true)
    candidates.push({
      lever: 'flag api.payments-circuit-breaker true',
      effect: 'ends',
      evidence: [symptom, 'the circuit breaker is off: the api keeps calling a payments service that cannot keep up'],
      runbook: 'errors.md',
    });
  return { symptoms: [symptom], candidates, worsening: false };
}

/** availability.md / database.md: readiness 503 naming postgres. */
function unreachableDatabase(obs: Observations): Diagnosis {
  const named = obs.metrics.apiDependencyUp.postgres === false || obs.alerts.some((a) => a.name === 'DatabaseDown');
  if (!named) return none;
  const symptom = "the api's readiness check of postgres fails";
  const serverUp = obs.metrics.postgresServerUp;
  const evidence = [symptom, ...(serverUp === true ? ['the exporter still reaches Postgres directly (pg_up 1): the server is up'] : [])];
  const release = suspectRelease(obs, 'api');
  if (release)
    return {
      symptoms: [symptom],
      candidates: [
        { lever: 'rollback api', effect: 'ends', evidence: [...evidence, `${releaseWords(release)}, just before readiness failed`], runbook: 'database.md' },
        { lever: 'restart api', effect: 'eases', evidence: [...evidence, "a restart frees the api's pool clients"], runbook: 'database.md' },
        { lever: 'end-db-sessions', effect: 'eases', evidence: [...evidence, 'stuck sessions hold pool clients'], runbook: 'database.md' },
      ],
      worsening: false,
    };
  // Nothing of the team's changed: the path is down outside its reach. Keep the shop degraded
  // gracefully and wait for the path to return.
  const candidates: Candidate[] =
    obs.flags['api.degraded-mode'] === true
      ? []
      : [
          {
            lever: 'flag api.degraded-mode true',
            effect: 'eases',
            evidence: [...evidence, 'no api release to roll back: an outage outside the team; keep browsing up, checkout 503 with Retry-After'],
            runbook: 'database.md',
          },
        ];
  return { symptoms: [symptom], candidates, worsening: false };
}

/** database.md: degraded mode is switched off once the api is ready again. */
function degradedModeNoLongerNeeded(obs: Observations): Diagnosis {
  const deps = obs.metrics.apiDependencyUp;
  if (obs.flags['api.degraded-mode'] !== true || deps.postgres !== true || obs.alerts.some((a) => a.name === 'DatabaseDown')) return none;
  return {
    symptoms: [],
    candidates: [
      {
        lever: 'flag api.degraded-mode false',
        effect: 'restores',
        evidence: ['the api reaches postgres again; degraded mode still refuses checkouts'],
        runbook: 'database.md',
      },
    ],
    worsening: false,
  };
}

/** How far back the heap readings look (metrics-observer.ts: over the last 3 minutes). */
const heapLookbackMs = 3 * 60_000;

/** latency.md / availability.md: the api's memory climbs until it is killed, again and again. */
function leakingHeap(obs: Observations): Diagnosis {
  const slope = obs.metrics.apiHeapSlopeBytesPerMinute;
  // The peak, not the heap now: just after a death the new process is still small.
  const peak = highest(obs.metrics.apiHeapPeakBytes, obs.metrics.apiHeapUsedBytes);
  const growing = slope !== undefined && slope > thresholds.heapSlopeBytesPerMinute && peak !== undefined && peak > thresholds.heapUsedFloorBytes;
  if (!growing) return none;
  // The readings look 3 minutes back: just after a rollback they still show the old release's
  // climb. Judge the release now running by fresh readings only.
  const latest = obs.releases.filter((r) => r.service === 'api').sort((a, b) => b.at - a.at)[0];
  if (latest?.action === 'rollback' && obs.at - latest.at < heapLookbackMs) return none;
  const symptom = `the api's heap grows ${mb(slope)} a minute in each life (up to ${mb(peak)} in the last 3 minutes)`;
  const deaths = startsNoReleaseExplains(obs, 'api', obs.metrics.apiStarts10m ?? 0, 10 * 60_000);
  const restarts =
    deaths > 0
      ? `the api started ${deaths} time${deaths === 1 ? '' : 's'} in 10 minutes that no release explains, and climbs again at the same slope`
      : undefined;
  const release = suspectRelease(obs, 'api');
  const rollback: Candidate | undefined = release && {
    lever: 'rollback api',
    effect: 'ends',
    evidence: [symptom, ...(restarts ? [restarts] : []), `${releaseWords(release)}: the climb began with it`],
    runbook: 'availability.md',
  };
  const restart: Candidate = {
    lever: 'restart api',
    effect: 'eases',
    evidence: [symptom, 'a restart gives the memory back and buys time while the cause is found'],
    runbook: 'latency.md',
  };
  // Repeated deaths with a release behind them are the leak's signature: the release first. A
  // first death may still be a one-off: the restart buys time, and if the heap climbs again the
  // responder escalates (restart will have been pulled already).
  const candidates = deaths >= 2 && rollback ? [rollback, restart] : [restart, ...(rollback ? [rollback] : [])];
  return { symptoms: [symptom], candidates, worsening: true };
}

/**
 * availability.md: a service dies and its supervisor starts it again (ServiceRestartingUnexpectedly),
 * whatever the reason; when the deaths began with a release of that service, the release goes.
 */
function restartingService(obs: Observations): Diagnosis {
  const services = [...new Set(obs.alerts.filter((a) => a.name === 'ServiceRestartingUnexpectedly').map((a) => a.labels.service ?? ''))].filter(Boolean);
  const found = services.map((service): Diagnosis => {
    const symptom = `${service} dies and is started again with no release to explain it`;
    const release = suspectRelease(obs, service);
    const candidates: Candidate[] = release
      ? [
          {
            lever: `rollback ${service}`,
            effect: 'ends',
            evidence: [symptom, `${releaseWords(release)}, just before the deaths began`],
            runbook: 'availability.md',
          },
        ]
      : [];
    return { symptoms: [symptom], candidates, worsening: false };
  });
  return { symptoms: found.flatMap((d) => d.symptoms), candidates: found.flatMap((d) => d.candidates), worsening: false };
}

/**
 * Process starts that no deploy or rollback of the service explains (a release restarts it too):
 * deaths, and restarts someone asked for.
 */
function startsNoReleaseExplains(obs: Observations, service: string, starts: number, windowMs: number): number {
  const releases = obs.releases.filter((r) => r.service === service && r.at >= obs.at - windowMs).length;
  return Math.max(0, starts - releases);
}

function highest(...values: Array<number | undefined>): number | undefined {
  const known = values.filter((v): v is number => v !== undefined);
  return known.length > 0 ? Math.max(...known) : undefined;
}

/** queue-worker.md: the worker exited, crash-loops on a poison job, or hangs while looking alive. */
function stuckWorker(obs: Observations): Diagnosis {
  const m = obs.metrics;
  const starts = m.workerStarts3m ?? 0;
  const crashLooping = starts >= thresholds.crashLoopStarts || obs.alerts.some((a) => a.name === 'WorkerCrashLooping');
  if (crashLooping) {
    const symptom = `the worker started ${starts} times in 3 minutes (crash loop)`;
    if (!obs.poisonJob) return { symptoms: [symptom, 'no job named in its fatal log lines yet'], candidates: [], worsening: false };
    return {
      symptoms: [symptom],
      candidates: [
        {
          lever: `dead-letter ${obs.poisonJob.id}`,
          effect: 'ends',
          evidence: [symptom, `its last fatal log lines name job ${obs.poisonJob.id} ${obs.poisonJob.crashes} times`],
          runbook: 'queue-worker.md',
          andThen: 'restart worker',
        },
      ],
      worsening: false,
    };
  }
  const backedUp = (m.queueBacklog ?? 0) > thresholds.backlogJobs || (m.queueBacklogSlopePerMinute ?? 0) > 0;
  const heartbeatAge = m.workerHeartbeatAgeSeconds;
  const dead = heartbeatAge === undefined || heartbeatAge > thresholds.heartbeatStaleSeconds;
  const idle = (m.workerJobsPerSecond ?? 0) === 0;
  const jobsWaiting = backedUp || (m.queueActive ?? 0) > 0;
  if (!jobsWaiting || (!dead && !idle) || obs.alerts.some((a) => a.name === 'RedisDown')) return none;
  const symptom = dead
    ? `no worker heartbeat${heartbeatAge === undefined ? '' : ` for ${Math.round(heartbeatAge)} s`} while ${m.queueBacklog ?? '?'} jobs wait`
    : `the worker beats but finished no job in the last minute while ${m.queueActive ?? 0} are active and ${m.queueBacklog ?? '?'} wait`;
  return {
    symptoms: [symptom],
    candidates: [
      { lever: 'restart worker', effect: 'ends', evidence: [symptom], runbook: 'queue-worker.md' },
      { lever: 'scale worker 2', effect: 'eases', evidence: [symptom, 'more consumers drain the backlog faster'], runbook: 'queue-worker.md' },
    ],
    worsening: false,
  };
}

/** redis.md / queue-worker.md: Redis is full, the outbox cannot hand paid orders to the queue. */
function fullRedis(obs: Observations): Diagnosis {
  const m = obs.metrics;
  const used = m.redisMemoryUsedBytes;
  const max = m.redisMemoryMaxBytes;
  const full = used !== undefined && max !== undefined && max > 0 && used >= max * thresholds.redisFullRatio;
  const outboxStuck = (m.outboxOldestAgeSeconds ?? 0) > thresholds.outboxOldestSeconds || (m.outboxDispatchFailuresPerSecond ?? 0) > 0;
  if (!full || !outboxStuck) return none;
  const symptom = `Redis uses ${mb(used)} of its ${mb(max)} maxmemory while the outbox cannot dispatch (oldest ${Math.round(m.outboxOldestAgeSeconds ?? 0)} s)`;
  // Raising the limit needs no guess about whose keys filled it; the runbook says to check what a
  // delete pattern matches first, which the bot cannot from metrics alone.
  const raiseTo = Math.min(16_384, Math.max(redisRaiseFloorMb, Math.ceil((2 * max) / 2 ** 20)));
  return {
    symptoms: [symptom],
    candidates: [
      {
        lever: `redis-maxmemory ${raiseTo}`,
        effect: 'ends',
        evidence: [symptom, 'noeviction refuses every enqueue once full; room ends it and the outbox drains'],
        runbook: 'redis.md',
      },
      {
        lever: 'redis-delete batch:*',
        effect: 'ends',
        evidence: [symptom, "a batch job's keys are the usual tenant that fills a queue's Redis"],
        runbook: 'redis.md',
      },
    ],
    worsening: false,
  };
}
