import { readFileSync } from 'node:fs';
import { OpenFeature, type Client } from '@openfeature/server-sdk';
import type { Logger } from '../logger/index.ts';
import { LabFlagProvider } from './lab-flag-provider.ts';

export interface FlagConfig {
  FLAGS_URL?: string | undefined;
  FLAGS_POLL_MS: number;
  /** The agent token's file (the lab's flags API takes the agent token). */
  CHAOS_AGENT_TOKEN_FILE?: string | undefined;
  /** In a class, the team whose shop this is (the chaos agent's setting): it reads its team's flags. */
  CHAOS_TEAM?: string | undefined;
}

/** A service instance's feature flags: an OpenFeature client on a provider of its own. */
export interface ServiceFlags {
  readonly client: Client;
  readonly provider: LabFlagProvider;
  close(): Promise<void>;
}

/** Instances made by this process so far: each gets a domain of its own (tests run several per process). */
let instances = 0;

/**
 * Binds a LabFlagProvider to an OpenFeature domain of this instance's own and waits for the lab's
 * first answer (or for it to be found unreachable: flags then keep their defaults until it
 * answers). OpenFeature's API is a process-wide singleton, so a domain per instance is what keeps
 * two services started in one test process from sharing (or closing) each other's provider.
 */
export async function startServiceFlags(service: string, config: FlagConfig, logger: Logger): Promise<ServiceFlags> {
  if (config.FLAGS_URL && !config.CHAOS_AGENT_TOKEN_FILE) throw new Error(`${service}: FLAGS_URL is set but CHAOS_AGENT_TOKEN_FILE is not`);
  const token = config.FLAGS_URL && config.CHAOS_AGENT_TOKEN_FILE ? readTokenFile(config.CHAOS_AGENT_TOKEN_FILE) : undefined;
  const provider = new LabFlagProvider({ url: config.FLAGS_URL, token, team: config.CHAOS_TEAM, pollMs: config.FLAGS_POLL_MS, logger });
  instances += 1;
  const domain = `${service}#${process.pid}.${instances}`;
  await OpenFeature.setProviderAndWait(domain, provider);
  const client = OpenFeature.getClient(domain);
  // The SDK logs evaluation errors (a flag of the wrong type); they belong in the service's log.
  client.setLogger(logger);
  if (config.FLAGS_URL) logger.info({ flags: config.FLAGS_URL, flagsVersion: provider.version ?? null }, 'flags from the lab');
  return { client, provider, close: () => provider.onClose() };
}

function readTokenFile(file: string): string {
  const token = readFileSync(file, 'utf8').trim();
  if (token.length === 0) throw new Error(`${file} holds no token`);
  return token;
}
