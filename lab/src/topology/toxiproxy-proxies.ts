import type { LabConfig } from '../config/lab-config.ts';

export interface ProxyDefinition {
  name: string;
  /** Where the shop connects. */
  listen: string;
  /** The real server. */
  upstream: string;
}

/**
 * The single lab's proxies: name → listen (shop side) and upstream (the real server). A class's
 * are its teams' (team-shops.ts, teamProxies); there the base block's `redis` would forward to a
 * port no server listens on (each team has its own Redis, decision 0015), so it is not created,
 * and the chaos controller refuses a Redis fault for no team rather than act on nothing.
 */
export function toxiproxyProxies(config: LabConfig): ProxyDefinition[] {
  const { ports } = config;
  return [
    { name: 'postgres', listen: `127.0.0.1:${ports.postgresProxy}`, upstream: `127.0.0.1:${ports.postgres}` },
    ...(config.teams.length === 0 ? [{ name: 'redis', listen: `127.0.0.1:${ports.redisProxy}`, upstream: `127.0.0.1:${ports.redis}` }] : []),
  ];
}

/** Creates (or re-creates, after a Toxiproxy restart) every proxy in one idempotent call. */
export async function populateProxies(toxiproxyUrl: string, proxies: readonly ProxyDefinition[]): Promise<void> {
  const response = await fetch(`${toxiproxyUrl}/populate`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(proxies.map((p) => ({ ...p, enabled: true }))),
    signal: AbortSignal.timeout(5_000),
  });
  if (!response.ok) throw new Error(`toxiproxy /populate answered ${response.status}: ${await response.text()}`);
}
