/**
 * The lab's port plan. Every port is LAB_PORT_BASE plus a fixed offset, so one machine can run
 * several isolated labs (one per team) by giving each its own base and state directory.
 * The default base (7400) stays clear of the standard ports of anything already installed.
 */
export const portOffsets = {
  api: 0,
  payments: 1,
  worker: 2,
  chaos: 3,
  training: 4,
  /** The console: the instructor's and the trainees' web page. */
  console: 5,
  /** The lab box's own sshd: trainees' shells (lab/src/ssh). */
  ssh: 7,
  supervisor: 9,
  postgres: 10,
  postgresProxy: 11,
  postgresExporter: 12,
  redis: 20,
  redisProxy: 21,
  redisExporter: 22,
  /** `lab scale worker N`: worker-2 … worker-N listen on 30, 31, … (see maxWorkers). */
  workerReplicas: 30,
  toxiproxy: 74,
  prometheus: 90,
  /** A team's way to Prometheus (its gate, in the one team-prometheus process: wants the team's token, adds the lab's credentials, then prom-label-proxy). */
  teamPrometheus: 91,
  /** prom-label-proxy: enforces the team label on every query, upstream Prometheus. */
  promLabelProxy: 92,
  alertmanager: 93,
} as const;

export type PortName = keyof typeof portOffsets;

export const defaultPortBase = 7400;

export function portsFor(base: number): Record<PortName, number> {
  return Object.fromEntries(Object.entries(portOffsets).map(([name, offset]) => [name, base + offset])) as Record<PortName, number>;
}

/** The most worker processes `lab scale worker` runs: the replicas' ports stay inside offsets 30–39. */
export const maxWorkers = 8;

/** The port of worker replica `index` (2 for worker-2, …). */
export function workerReplicaPort(ports: Record<PortName, number>, index: number): number {
  if (!Number.isInteger(index) || index < 2 || index > maxWorkers) throw new Error(`worker replica ${index} is outside 2–${maxWorkers}`);
  return ports.workerReplicas + index - 2;
}

/**
 * Many teams on one machine (docs/decisions/0015): the shared planes keep `portsFor(base)`; team
 * k (1-based) gets the block base + 100·k with the single lab's offsets for its shop's ports.
 */
export const teamBlockSize = 100;

/** The ports a team's shop owns: its services, its own Redis server, its Toxiproxy listeners and its worker replicas. */
export const teamPortNames = [
  'api',
  'payments',
  'worker',
  'postgresProxy',
  /** The team's own redis-server (docs/decisions/0015: a Redis per team, so Lab 5's memory pressure is one team's). */
  'redis',
  'redisProxy',
  'workerReplicas',
  'teamPrometheus',
  'promLabelProxy',
] as const satisfies readonly PortName[];
export type TeamPortName = (typeof teamPortNames)[number];

/** Team names a class can take with `--teams N`, in order (at most this many teams). */
export const teamColours = ['blue', 'green', 'red', 'yellow', 'purple', 'orange', 'teal', 'pink', 'brown'] as const;
export const maxTeams = teamColours.length;

/** The ports of team `index` (1-based) in a lab whose shared planes start at `base`. */
export function teamPortsFor(base: number, index: number): Record<TeamPortName, number> {
  if (!Number.isInteger(index) || index < 1 || index > maxTeams) throw new Error(`team ${index} is outside 1–${maxTeams}`);
  const block = base + teamBlockSize * index;
  return Object.fromEntries(teamPortNames.map((name) => [name, block + portOffsets[name]])) as Record<TeamPortName, number>;
}

/** The highest port a lab with `teams` teams uses (to check the block fits under 65535). */
export function highestPort(base: number, teams: number): number {
  return teams === 0 ? base + Math.max(...Object.values(portOffsets)) : base + teamBlockSize * teams + teamBlockSize - 1;
}
