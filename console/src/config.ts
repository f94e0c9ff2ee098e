import { z } from 'zod';
import { env, listenSettings, loadConfig } from '@firedrill/kit';
import { teamNamePattern, teamNameRule } from '@firedrill/conventions';

/** Every variable the console reads, with its default. */
export const consoleConfigSchema = z.object({
  ...listenSettings(7405),
  /** The training API: identity (whoami), and everything the page does, as the signed-in caller. */
  TRAINING_URL: env.url('http://127.0.0.1:7404'),
  /** The chaos controller, for the instructor's curveballs and halt (the instructor's own token goes with them). */
  CHAOS_URL: env.url('http://127.0.0.1:7403'),
  /** Prometheus, for the charts' query_range. */
  PROMETHEUS_URL: env.url('http://127.0.0.1:7490'),
  /** "user:password" for Prometheus' basic auth (0600, the lab's state dir); unset: Prometheus asks for none. */
  PROMETHEUS_CREDENTIALS_FILE: z.string().min(1).optional(),
  /**
   * Each team's way to Prometheus (the lab's gate in front of prom-label-proxy), which a trainee's
   * charts go through: "blue=http://…,green=http://…", or "*=http://…" for every team. Unset:
   * everyone's charts come from PROMETHEUS_URL (Compose).
   */
  TEAM_PROMETHEUS_URLS: z.string().optional(),
  /** Each gate's token (0600 files, the lab's state dir), the same teams as TEAM_PROMETHEUS_URLS: "blue=/…/team-prometheus-blue-token,…". */
  TEAM_PROMETHEUS_TOKEN_FILES: z.string().optional(),
  /** A session ends this long after sign-in, whatever happens (a class day by default). */
  SESSION_TTL_MS: env.int(12 * 60 * 60 * 1000, 1000, 7 * 24 * 60 * 60 * 1000),
  /**
   * A class (`lab up --teams`, docs/decisions/0015): its teams, comma-separated. Charts are then
   * scoped to a team — a trainee's to their own, the instructor's to the one they pick (?team=).
   * Unset for a single shop, whose series carry no team label.
   */
  CLASS_TEAMS: z
    .string()
    .optional()
    .transform((v) => (v ? v.split(',') : []))
    .pipe(z.array(z.string().regex(teamNamePattern, `must be team names separated by commas, each ${teamNameRule}`))),
  /** The lab box's sshd for the trainees' browser terminal (unset: no terminal). */
  SSH_PORT: z.coerce.number().int().min(1).max(65535).optional(),
  SSH_HOST: z.string().min(1).default('127.0.0.1'),
  /** The trainees' private keys, which the lab made (<state>/ssh/trainee-keys); the console reads them, never sends them. */
  TRAINEE_KEYS_DIR: z.string().min(1).optional(),
  /** The lab sshd's public host key file (<state>/ssh/ssh_host_ed25519_key.pub): the terminal talks to that server only. */
  SSH_HOST_KEY_FILE: z.string().min(1).optional(),
  /** The built page (vite build); the console answers 503 on its pages while it is missing. */
  WEB_DIR: z.string().min(1).optional(),
});

export type ConsoleConfig = z.output<typeof consoleConfigSchema>;

export function loadConsoleConfig(): Readonly<ConsoleConfig> {
  return loadConfig('console', consoleConfigSchema);
}
