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
  supervisor: 9,
  postgres: 10,
  postgresProxy: 11,
  postgresExporter: 12,
  redis: 20,
  redisProxy: 21,
  redisExporter: 22,
  toxiproxy: 74,
  prometheus: 90,
  alertmanager: 93,
} as const;

export type PortName = keyof typeof portOffsets;

export const defaultPortBase = 7400;

export function portsFor(base: number): Record<PortName, number> {
  return Object.fromEntries(Object.entries(portOffsets).map(([name, offset]) => [name, base + offset])) as Record<PortName, number>;
}
