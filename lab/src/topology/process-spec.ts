import type { HealthCheck } from '../supervisor/health-checks.ts';

/** How to run one process; built afresh at every (re)start so it can prepare files first. */
export interface Launch {
  command: string;
  args: string[];
  env?: Record<string, string>;
  cwd?: string;
  /** stdout is JSON lines already (pino): written straight to the log file. */
  writesJsonLines?: boolean;
  runAs?: { uid: number; gid: number };
  stopSignal?: NodeJS.Signals;
}

/** One process of the lab as the supervisor runs it. */
export interface ProcessSpec {
  name: string;
  kind: 'infrastructure' | 'service';
  /** The team whose shop this process belongs to, in a class (docs/decisions/0015); absent for the shared planes and the single lab. */
  team?: string;
  port: number;
  /** Further ports the same process listens on (the one gate process serves each team's gate port): checked free before `lab up` like `port`. */
  otherPorts?: readonly number[];
  /** What `lab status` shows and what a user opens or connects to. */
  url: string;
  /** Started only once all of these are healthy. */
  dependsOn: readonly string[];
  launch(): Launch;
  health: HealthCheck;
  /** Runs each time the process has become healthy after a start (idempotent set-up). */
  afterHealthy?: () => Promise<void>;
  /** A crash (non-zero exit, or a signal we did not send) restarts it with backoff; exit 0 keeps it down. */
  restartOnCrash: boolean;
  /** A shop service that runs a release: `lab deploy` restarts it with SERVICE_VERSION set. */
  versioned?: boolean;
  /**
   * `lab scale <name> N` runs N processes of it: this one and replicas 2…N (named <name>-2, …),
   * each on its own port; at most `max`.
   */
  scalable?: { max: number; replica(index: number): ProcessSpec };
}
