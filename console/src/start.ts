import { readFileSync } from 'node:fs';
import { createRegistry, prometheusClientFromSettings, startHttpServer, type Logger } from '@firedrill/kit';
import { chartSource, parseTeamPrometheusPaths } from './charts/chart-source.ts';
import { buildConsoleApp } from './app.ts';
import type { ConsoleConfig } from './config.ts';
import { defaultWebDir } from './page/page-build.ts';
import { createSessionStore, type SessionStore } from './session/session-store.ts';
import { attachTerminal, publicKeyBlob } from './terminal/terminal-bridge.ts';

export interface RunningConsole {
  url: string;
  port: number;
  sessions: SessionStore;
  close(): Promise<void>;
}

/** Sessions → app → listen. close() stops taking requests (open event streams are dropped). */
export async function startConsole(
  config: Readonly<ConsoleConfig>,
  options: { logger: Logger; now?: () => number; pollWaitMs?: number },
): Promise<RunningConsole> {
  const sessions = createSessionStore({ ttlMs: config.SESSION_TTL_MS, ...(options.now && { now: options.now }) });
  const app = buildConsoleApp({
    sessions,
    trainingUrl: config.TRAINING_URL,
    chaosUrl: config.CHAOS_URL,
    prometheusFor: chartSource({
      prometheus: prometheusClientFromSettings(config.PROMETHEUS_URL, config.PROMETHEUS_CREDENTIALS_FILE),
      teamPaths: parseTeamPrometheusPaths(config.TEAM_PROMETHEUS_URLS, config.TEAM_PROMETHEUS_TOKEN_FILES),
    }),
    classTeams: config.CLASS_TEAMS,
    sessionTtlMs: config.SESSION_TTL_MS,
    webDir: config.WEB_DIR ?? defaultWebDir,
    logger: options.logger,
    registry: createRegistry('console'),
    ...(options.pollWaitMs !== undefined && { pollWaitMs: options.pollWaitMs }),
  });
  const server = await startHttpServer(app, { port: config.PORT, host: config.HOST, graceMs: 2000 });
  // The trainees' browser terminal, where the lab runs an sshd (pinned to its host key when given).
  const terminal =
    config.SSH_PORT && config.TRAINEE_KEYS_DIR
      ? {
          sshHost: config.SSH_HOST,
          sshPort: config.SSH_PORT,
          keysDir: config.TRAINEE_KEYS_DIR,
          ...(config.SSH_HOST_KEY_FILE && { hostKey: publicKeyBlob(readFileSync(config.SSH_HOST_KEY_FILE, 'utf8')) }),
        }
      : undefined;
  const terminalSockets = attachTerminal(server.server, { sessions, settings: terminal, logger: options.logger });
  options.logger.info({ url: server.url }, 'console listening');
  return {
    url: server.url,
    port: server.port,
    sessions,
    close: () => {
      terminalSockets.close();
      return server.close();
    },
  };
}
