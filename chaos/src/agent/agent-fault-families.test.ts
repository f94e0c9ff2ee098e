import { EventEmitter } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createLogger } from '@firedrill/kit';
import { waitFor } from '@firedrill/lab-infra';
import type { AgentFault, AgentFaultsAnswer } from '../shared/agent-protocol.ts';
import { FaultAgent } from './fault-agent.ts';
import { HeapLeak } from './heap-leak.ts';
import { leakPoolClients } from './pool-leak.ts';
import { amplifiedRetryPolicy } from './retry-amplification.ts';

const logger = createLogger('agent-test', 'silent');
const inMs = (ms: number) => new Date(Date.now() + ms).toISOString();

/** A stand-in for the controller's agent endpoint over real HTTP, answering whatever set the test holds now. */
async function scriptedController() {
  let answer: AgentFaultsAnswer = { faults: [], version: 1, pollMs: 20 };
  const server = http.createServer((_req, res) => res.setHeader('content-type', 'application/json').end(JSON.stringify(answer)));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    set(faults: AgentFault[]) {
      answer = { faults, version: answer.version + 1, pollMs: 20 };
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

let controller: Awaited<ReturnType<typeof scriptedController>> | undefined;
let agent: FaultAgent | undefined;
afterEach(async () => {
  agent?.close();
  await controller?.close();
});

async function agentWith(faults: AgentFault[]): Promise<FaultAgent> {
  controller = await scriptedController();
  controller.set(faults);
  agent = new FaultAgent({ service: 'api', controllerUrl: controller.url, token: 't', logger, pollMs: 20 }).start();
  await waitFor('the agent to take its faults', async () => agent!.contact.answeredPolls > 0 && agent!.idle === (faults.length === 0), { timeoutMs: 5_000 });
  return agent;
}

type Client = EventEmitter & { release: (err?: Error | boolean) => void };

/** A pg pool as far as the leak sees it: a checkout (callback or promise) handing a client with its own `release`. */
function fakePool(release: (id: number, err?: Error | boolean) => void = () => {}) {
  let next = 0;
  const client = (): Client => {
    const id = next++;
    return Object.assign(new EventEmitter(), { release: (err?: Error | boolean) => release(id, err) });
  };
  return {
    connect(cb?: (err: Error | undefined, client: Client, done: () => void) => void): Promise<Client> | undefined {
      const c = client();
      if (!cb) return Promise.resolve(c);
      cb(undefined, c, c.release);
      return undefined;
    },
  };
}

/** Pools that record which clients came back. */
function recordingPool() {
  const returned: number[] = [];
  const pool = fakePool((id) => returned.push(id));
  return {
    pool,
    returned,
    /** One checkout and the caller's release, as pool.query does it (callback form). */
    checkoutAndRelease() {
      pool.connect((_err, client) => client.release());
    },
  };
}

describe('pool-leak', () => {
  it('when the fault is active, then a share of releases is swallowed; when it is cleared, the held clients go back', async () => {
    const a = await agentWith([{ id: 'flt_leak', family: 'pool-leak', target: 'api', rate: 0.5, expiresAt: inMs(60_000) }]);
    const { pool, returned, checkoutAndRelease } = recordingPool();
    let roll = 0;
    const leak = leakPoolClients(pool, a, { logger, random: () => (roll++ % 2 === 0 ? 0.1 : 0.9) });

    for (let i = 0; i < 10; i++) checkoutAndRelease();
    expect(leak.leaked).toBe(5);
    expect(returned).toEqual([1, 3, 5, 7, 9]);

    controller!.set([]);
    await waitFor('the leaked clients to be released', async () => leak.leaked === 0, { timeoutMs: 5_000 });
    expect(returned.sort((x, y) => x - y)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    checkoutAndRelease();
    expect(leak.leaked).toBe(0);
    leak.close();
  });

  it('when the fault expires, then the held clients go back even if the controller still lists it', async () => {
    const a = await agentWith([{ id: 'flt_short', family: 'pool-leak', target: 'api', rate: 1, expiresAt: inMs(400) }]);
    const { pool, returned, checkoutAndRelease } = recordingPool();
    const leak = leakPoolClients(pool, a, { logger });
    checkoutAndRelease();
    checkoutAndRelease();
    expect(leak.leaked).toBe(2);

    await waitFor('the expired fault to give its clients back', async () => leak.leaked === 0, { timeoutMs: 5_000 });
    expect(returned).toEqual([0, 1]);
    leak.close();
  });

  it('when a held client loses its connection, then nothing crashes and it is destroyed on release', async () => {
    const a = await agentWith([{ id: 'flt_leak', family: 'pool-leak', target: 'api', rate: 1, expiresAt: inMs(60_000) }]);
    const releasedWith: unknown[] = [];
    const pool = fakePool((_id, err) => releasedWith.push(err));
    const leak = leakPoolClients(pool, a, { logger });
    // A transaction's checkout (promise form).
    const client = (await pool.connect())!;
    client.release();

    client.emit('error', new Error('terminating connection due to administrator command'));
    leak.close();

    expect(releasedWith).toEqual([true]);
  });

  it('when the agent is disabled, then no checkout is ever touched', () => {
    const disabled = new FaultAgent({ service: 'api', logger });
    const { pool, returned, checkoutAndRelease } = recordingPool();
    const leak = leakPoolClients(pool, disabled, { logger, random: () => 0 });
    checkoutAndRelease();
    expect(returned).toEqual([0]);
    leak.close();
  });
});

describe('retry-amplification', () => {
  it('when no fault is active, then the client keeps its own policy', async () => {
    expect(amplifiedRetryPolicy(await agentWith([]))).toBeUndefined();
  });

  it('when faults are active, then the most attempts and the shortest backoff apply', async () => {
    const a = await agentWith([
      { id: 'flt_a', family: 'retry-amplification', target: 'api', attempts: 8, backoffMs: 50, expiresAt: inMs(60_000) },
      { id: 'flt_b', family: 'retry-amplification', target: 'api', attempts: 5, backoffMs: 0, expiresAt: inMs(60_000) },
    ]);
    expect(amplifiedRetryPolicy(a)).toEqual({ attempts: 8, backoffMs: 0 });
  });
});

describe('memory-leak', () => {
  const fault = (settings: { mbPerMinute: number; kbPerRequest: number }, id = 'flt_mem'): Extract<AgentFault, { family: 'memory-leak' }> => ({
    id,
    family: 'memory-leak',
    target: 'api',
    ...settings,
    expiresAt: inMs(60_000),
  });

  it('when a per-minute leak is active, then retained memory grows with time; when it ends, all of it is let go', async () => {
    const leak = new HeapLeak({ tickMs: 20 });
    // 150 MiB a minute in 20 ms ticks is 0.05 MiB a tick: 1 MiB every 20 ticks (fractions carry over).
    leak.update([fault({ mbPerMinute: 150, kbPerRequest: 0 })]);
    await waitFor('3 MiB to be retained', async () => leak.retainedBytes >= 3 * 1024 * 1024, { timeoutMs: 10_000 });
    leak.update([]);
    expect(leak.retainedBytes).toBe(0);
  });

  it('when a per-request leak is active, then each request retains its share', () => {
    const leak = new HeapLeak();
    leak.update([fault({ mbPerMinute: 0, kbPerRequest: 256 })]);
    for (let i = 0; i < 8; i++) leak.onRequest();
    expect(leak.retainedBytes).toBe(8 * 256 * 1024);
    leak.release();
    expect(leak.retainedBytes).toBe(0);
  });

  it('when one of two leaks ends, then only its memory is let go', () => {
    const leak = new HeapLeak();
    const a = fault({ mbPerMinute: 0, kbPerRequest: 64 }, 'flt_a');
    const b = fault({ mbPerMinute: 0, kbPerRequest: 128 }, 'flt_b');
    leak.update([a, b]);
    leak.onRequest();
    leak.update([b]);
    expect(leak.retainedBytes).toBe(128 * 1024);
    leak.release();
  });

  it("when the agent's memory-leak fault is cleared, then the agent lets go of what it retained", async () => {
    const a = await agentWith([fault({ mbPerMinute: 0, kbPerRequest: 512 })]);
    a.heapLeak.onRequest();
    a.heapLeak.onRequest();
    expect(a.heapLeak.retainedBytes).toBe(1024 * 1024);
    controller!.set([]);
    await waitFor('the agent to drop the fault', async () => a.idle, { timeoutMs: 5_000 });
    expect(a.heapLeak.retainedBytes).toBe(0);
  });
});
