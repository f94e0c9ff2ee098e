import type { Fault } from '../controller/fault-store.ts';
import type { Toxic, ToxiproxyClient } from './toxiproxy-client.ts';
import { teamNameSource } from '@firedrill/conventions';

/** The proxies the shop reaches its data stores through, and the fault family for each. */
export const proxiedStores = { postgres: 'database-loss', redis: 'redis-loss' } as const;

/** Toxics this controller owns carry this prefix; anything else on a proxy is left alone. */
const prefix = 'fd_';

interface DesiredProxy {
  enabled: boolean;
  toxics: Toxic[];
}

/** A shop's store proxy: `postgres`, or a class's team's `blue-postgres`. */
const storeProxyName = new RegExp(`^(?:(${teamNameSource})-)?(postgres|redis)$`);

/**
 * The store a proxy leads to and the team it belongs to: `postgres` (a single shop) or, in a
 * class (docs/decisions/0015), `blue-postgres`. Undefined for a proxy that is not a shop's store path.
 */
export function proxiedStoreOf(proxy: string): { store: keyof typeof proxiedStores; team: string | undefined } | undefined {
  const match = storeProxyName.exec(proxy);
  return match ? { store: match[2] as keyof typeof proxiedStores, team: match[1] } : undefined;
}

/** What a proxy should look like given the active faults: a pure function, tested on its own. */
export function desiredProxyState(proxy: string, faults: readonly Fault[]): DesiredProxy {
  const desired: DesiredProxy = { enabled: true, toxics: [] };
  const path = proxiedStoreOf(proxy);
  if (!path) return desired;
  for (const { id, spec } of faults) {
    if (spec.family !== proxiedStores[path.store] || spec.team !== path.team) continue;
    if (spec.family !== 'database-loss' && spec.family !== 'redis-loss') continue;
    switch (spec.mode) {
      case 'refused':
        desired.enabled = false; // the listener closes: new connections are refused, live ones dropped
        break;
      case 'blackhole':
        // timeout 0 swallows data until the toxic is removed: no answer, no error.
        for (const stream of ['upstream', 'downstream'] as const) {
          desired.toxics.push({ name: `${prefix}${id}_${stream}`, type: 'timeout', stream, attributes: { timeout: 0 } });
        }
        break;
      case 'reset':
        desired.toxics.push({ name: `${prefix}${id}_upstream`, type: 'reset_peer', stream: 'upstream', attributes: { timeout: 0 } });
        break;
      case 'slow':
        desired.toxics.push({ name: `${prefix}${id}_downstream`, type: 'latency', stream: 'downstream', attributes: { latency: spec.ms, jitter: 0 } });
        break;
    }
  }
  return desired;
}

/**
 * Makes every proxied store match the active faults: adds missing toxics, removes ours that no
 * fault wants any more, and sets `enabled`. Declarative, so it also heals a restarted Toxiproxy.
 */
export async function reconcileNetworkFaults(client: ToxiproxyClient, faults: readonly Fault[]): Promise<void> {
  // Every store path Toxiproxy has: the single shop's, or each team's in a class.
  const proxies = Object.values(await client.proxies()).filter((p) => proxiedStoreOf(p.name));
  for (const current of proxies) {
    const proxy = current.name;
    const desired = desiredProxyState(proxy, faults);
    const wanted = new Set(desired.toxics.map((t) => t.name));
    const present = new Set(current.toxics.map((t) => t.name));
    for (const toxic of current.toxics) {
      if (toxic.name.startsWith(prefix) && !wanted.has(toxic.name)) await client.removeToxic(proxy, toxic.name);
    }
    for (const toxic of desired.toxics) {
      if (!present.has(toxic.name)) await client.addToxic(proxy, toxic);
    }
    if (current.enabled !== desired.enabled) await client.setEnabled(proxy, desired.enabled);
  }
}
