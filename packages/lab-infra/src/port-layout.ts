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
