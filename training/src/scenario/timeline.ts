import type { ScenarioFault, LabScenario, OncallScenario, TimelineStep } from './scenario-schema.ts';
import { seededRandom } from './seeded-random.ts';
import type { FlagName, FlagValue, ServiceName } from './shop-vocabulary.ts';

/**
 * Pure scheduling: a scenario, a seed, a speed and a mode in; the runner's to-do list out (when,
 * what). No clock and no I/O, so every rule is unit-tested.
 *
 * --speed divides the scenario's own times (step times, fault durations, the timebox, stability),
 * but not Prometheus': recording rules and alerts keep their 1-minute windows and `for:`, so at
 * high speed an alert may fire after the sped-up step it belongs to, and probes may still see the
 * fault's tail. CI therefore runs short timelines at speed 1 rather than long ones sped up.
 */

export type PlannedAction =
  | { kind: 'deploy'; service: ServiceName; version: string; notes?: string | undefined }
  | { kind: 'flag'; flag: FlagName; value: FlagValue }
  | {
      kind: 'inject';
      fault: FaultSettings;
      /** How long the fault lasts, scaled; absent: until a lever ends it or the run ends. */
      durationMs?: number;
      /** The release this fault is bound to: a deploy of any other version of that service ends it. */
      release?: { service: ServiceName; version: string };
    };

/** A fault's family and settings as the chaos controller takes them (`for` becomes durationMs). */
export type FaultSettings = ScenarioFault extends infer F ? (F extends unknown ? Omit<F, 'for'> : never) : never;

export interface PlannedStep {
  /** Milliseconds after the live phase starts, scaled by speed. */
  atMs: number;
  /** Index of the step in the scenario's timeline. */
  step: number;
  /** In the order the runner carries them out: the release first, then flags, then the fault. */
  actions: PlannedAction[];
}

export interface TimelinePlan {
  scenarioId: string;
  seed: number;
  speed: number;
  blind: boolean;
  steps: PlannedStep[];
  timeboxMs: number;
  stabilityMs: number;
}

export interface PlanOptions {
  seed: number;
  /** > 0; 2 runs the scenario's clock twice as fast. */
  speed?: number;
  /** Blind mode: steps with a `window` happen at a seeded random time inside it. */
  blind?: boolean;
}

export function scaled(ms: number, speed: number): number {
  return Math.round(ms / speed);
}

function assertSpeed(speed: number): void {
  if (!(Number.isFinite(speed) && speed > 0 && speed <= 100)) throw new RangeError(`speed must be above 0 and at most 100, not ${speed}`);
}

function stepActions(step: TimelineStep, speed: number): PlannedAction[] {
  const actions: PlannedAction[] = [];
  if (step.deploy) actions.push({ kind: 'deploy', service: step.deploy.service, version: step.deploy.version, notes: step.deploy.notes });
  for (const [name, value] of Object.entries(step.flags ?? {})) actions.push({ kind: 'flag', flag: name as FlagName, value });
  if (step.fault) {
    const { for: lasts, ...fault } = step.fault;
    actions.push({
      kind: 'inject',
      fault,
      ...(lasts === undefined ? {} : { durationMs: scaled(lasts, speed) }),
      ...(step.deploy ? { release: { service: step.deploy.service, version: step.deploy.version } } : {}),
    });
  }
  return actions;
}

/** When each step happens and what it does. Same scenario, seed, speed and mode → same plan. */
export function planTimeline(scenario: LabScenario, options: PlanOptions): TimelinePlan {
  const speed = options.speed ?? 1;
  assertSpeed(speed);
  const blind = options.blind ?? false;
  const random = seededRandom(options.seed);
  const steps = scenario.timeline.map((step, index) => {
    // Whole seconds: a trainee's clock and the journal read better that way.
    const at = blind && step.window ? step.window.from + Math.floor(random() * ((step.window.to - step.window.from) / 1000 + 1)) * 1000 : step.at;
    return { atMs: scaled(at, speed), step: index, actions: stepActions(step, speed) };
  });
  // Stable: steps at the same time keep the file's order.
  steps.sort((a, b) => a.atMs - b.atMs);
  return {
    scenarioId: scenario.id,
    seed: options.seed,
    speed,
    blind,
    steps,
    timeboxMs: scaled(scenario.timebox, speed),
    stabilityMs: scaled(scenario.stability, speed),
  };
}

/**
 * On-call: the scenario the seed picks from the pool. The run then plays it blind with the same
 * seed, so one number replays the whole run.
 */
export function pickFromPool(oncall: OncallScenario, seed: number): string {
  const pool = oncall.oncall.pool;
  return pool[Math.floor(seededRandom(seed ^ 0x5eed)() * pool.length)]!;
}

/**
 * Prometheus windows do not scale: a scaled stability shorter than the 1-minute recording windows
 * could count the fault's tail as still failing, or a blip as holding. Says so, for the runner to show.
 */
export function speedWarnings(plan: TimelinePlan): string[] {
  const warnings: string[] = [];
  if (plan.speed > 1 && plan.stabilityMs < 60_000)
    warnings.push(`at speed ${plan.speed}, stability is ${plan.stabilityMs / 1000}s: shorter than Prometheus' 1m windows, which do not speed up`);
  return warnings;
}
