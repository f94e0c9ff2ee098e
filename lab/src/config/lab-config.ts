import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { ConfigError, loadConfig } from '@firedrill/kit';
import { defaultPortBase, highestPort, portOffsets, portsFor, type PortName } from '@firedrill/lab-infra';
import { parseTeams } from './class-teams.ts';

/** The repository this lab runner belongs to (lab/src/config → three levels up). */
export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

const highestOffset = Math.max(...Object.values(portOffsets));

/** Every variable the lab CLI reads, with its default. */
export const labEnvSchema = z.object({
  /** Where the lab keeps its data, logs and lab.json. One state dir = one lab. */
  LAB_STATE_DIR: z.string().min(1).optional(),
  /** First port of the lab's block; every port is this plus a fixed offset (config/ports.ts). */
  LAB_PORT_BASE: z.coerce
    .number()
    .int()
    .min(1024)
    .max(65535 - highestOffset, `must leave room for the port block (at most ${65535 - highestOffset})`)
    .default(defaultPortBase),
  /** The scenario files the training process runs (default: the repository's scenarios/). */
  LAB_SCENARIOS_DIR: z.string().min(1).optional(),
  /** How long `lab up --detach` waits for every process to be healthy before it gives up. */
  LAB_UP_TIMEOUT_SECONDS: z.coerce.number().int().min(1).max(3600).default(60),
  /**
   * A class: one shop per team on shared planes (docs/decisions/0015). Names ("blue,green") or a
   * count ("3" → blue, green, red). `lab up --teams` sets it for the supervisor; unset = one shop.
   */
  LAB_TEAMS: z
    .string()
    .optional()
    .transform((value, ctx) => {
      if (value === undefined || value.trim() === '') return [];
      try {
        return parseTeams(value);
      } catch (err) {
        ctx.addIssue({ code: 'custom', message: (err as Error).message.replace(/^--teams:? ?/, '') });
        return z.NEVER;
      }
    }),
  /** When set, the shop's services write V8 CPU profiles (--cpu-prof) there as they exit: for bench:checkout-cpu. */
  LAB_CPU_PROF_DIR: z.string().min(1).optional(),
});

export interface LabConfig {
  readonly repoRoot: string;
  readonly stateDir: string;
  readonly logsDir: string;
  /** Scenario files (scenarios/<id>/scenario.yaml) for the training process's runs. */
  readonly scenariosDir: string;
  readonly portBase: number;
  readonly ports: Readonly<Record<PortName, number>>;
  readonly upTimeoutMs: number;
  /** The class's teams, in order (team k's ports: teamPortsFor(portBase, k)); empty = one shop, as before teams existed. */
  readonly teams: readonly string[];
  /** BullMQ key prefix the services share; `lab reset` empties the queue under it. */
  readonly queuePrefix: string;
  /** Variables handed to every child: PATH and friends plus the user's OTEL_* settings. */
  readonly inheritedEnv: Readonly<Record<string, string>>;
  /** Where the shop's services write CPU profiles as they exit; undefined: they are not profiled. */
  readonly cpuProfDir?: string;
}

/** Variables the children need from the user's environment; everything else they get from us. */
const inheritedNames = ['PATH', 'HOME', 'USER', 'LANG', 'LC_ALL', 'TZ', 'TMPDIR'];

/**
 * Parses the environment once, at start-up, into a frozen config that is passed down. Bad
 * variables throw the kit's ConfigError, naming each one.
 */
export function loadLabConfig(source: Record<string, string | undefined> = process.env, root = repoRoot): LabConfig {
  const settings = loadConfig('lab', labEnvSchema, source);
  if (highestPort(settings.LAB_PORT_BASE, settings.LAB_TEAMS.length) > 65535) {
    throw new ConfigError('lab', [
      `LAB_PORT_BASE: ${settings.LAB_PORT_BASE} leaves no room for ${settings.LAB_TEAMS.length} teams' ports (each team takes 100 more)`,
    ]);
  }
  const stateDir = path.resolve(settings.LAB_STATE_DIR ?? path.join(root, '.lab'));
  const inheritedEnv: Record<string, string> = {};
  for (const [name, value] of Object.entries(source)) {
    if (value !== undefined && (inheritedNames.includes(name) || name.startsWith('OTEL_'))) inheritedEnv[name] = value;
  }
  return Object.freeze({
    repoRoot: root,
    stateDir,
    logsDir: path.join(stateDir, 'logs'),
    scenariosDir: path.resolve(settings.LAB_SCENARIOS_DIR ?? path.join(root, 'scenarios')),
    portBase: settings.LAB_PORT_BASE,
    ports: Object.freeze(portsFor(settings.LAB_PORT_BASE)),
    upTimeoutMs: settings.LAB_UP_TIMEOUT_SECONDS * 1000,
    teams: Object.freeze(settings.LAB_TEAMS),
    queuePrefix: 'firedrill',
    inheritedEnv: Object.freeze(inheritedEnv),
    ...(settings.LAB_CPU_PROF_DIR ? { cpuProfDir: path.resolve(settings.LAB_CPU_PROF_DIR) } : {}),
  });
}
