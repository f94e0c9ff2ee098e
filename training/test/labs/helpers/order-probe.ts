import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';

/** Orders the test placed itself, by how the shop answered. */
export interface ProbeOrders {
  /** Ids of the orders answered 201 (accepted: the shop owes them a fulfilment). */
  accepted: string[];
  /** How many were answered something else (503 in degraded mode, 504 while payments is slow...). */
  notAccepted: number;
}

/**
 * A customer of the test's own, beside k6: one order a second with a known email domain, so the
 * test knows the id of every order the shop accepted and can look each one up in Postgres at the
 * end. k6 counts its 201s but never names the orders.
 */
export function startOrderProbe(apiUrl: string, intervalMs = 1_000) {
  const stopping = new AbortController();
  const orders: ProbeOrders = { accepted: [], notAccepted: 0 };
  const loop = (async () => {
    for (let n = 0; !stopping.signal.aborted; n++) {
      try {
        const response = await fetch(`${apiUrl}/api/orders`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'idempotency-key': `lab-probe-${randomUUID()}` },
          body: JSON.stringify({ items: [{ productId: 'mug-stoneware', quantity: 1 }], customer: { email: `probe-${n}@order-probe.test` } }),
          // A checkout that has not answered by then is one a customer gave up on: not accepted.
          signal: AbortSignal.any([stopping.signal, AbortSignal.timeout(15_000)]),
        });
        const body = (await response.json().catch(() => ({}))) as { id?: unknown };
        if (response.status === 201 && typeof body.id === 'string') orders.accepted.push(body.id);
        else orders.notAccepted++;
      } catch {
        if (!stopping.signal.aborted) orders.notAccepted++;
      }
      await sleep(intervalMs, undefined, { signal: stopping.signal }).catch(() => {});
    }
  })();
  return {
    orders,
    async stop(): Promise<ProbeOrders> {
      stopping.abort();
      await loop;
      return orders;
    },
  };
}

/** The email domain of the probe's orders, to tell them from k6's in shop.orders. */
export const probeEmailDomain = 'order-probe.test';
