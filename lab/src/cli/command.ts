import type { ParseArgsConfig } from 'node:util';
import type { LabConfig } from '../config/lab-config.ts';

export interface CommandInput {
  values: Record<string, string | boolean | undefined>;
  positionals: string[];
  config: LabConfig;
}

/** One `lab <command>`: its help text, its options (node:util parseArgs) and what it does. */
export interface Command {
  name: string;
  summary: string;
  usage: string;
  options?: NonNullable<ParseArgsConfig['options']>;
  positionals?: { min: number; max: number };
  /** Internal commands are left out of `lab help`. */
  hidden?: boolean;
  /** Resolves with the exit code. */
  run(input: CommandInput): Promise<number>;
}

/** Exit codes scripts can rely on. */
export const exitCodes = {
  ok: 0,
  failed: 1,
  usage: 2,
  /** Like `systemctl status`: the lab is not running. */
  notRunning: 3,
} as const;

export class UsageError extends Error {
  override name = 'UsageError';
}

/**
 * A refusal the lab expects and the user can act on (a port already taken, say): printed as one
 * line, without a stack trace, and the command exits 1.
 */
export class LabRefusal extends Error {
  override name = 'LabRefusal';
}
