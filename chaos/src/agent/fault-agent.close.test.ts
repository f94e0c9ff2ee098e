import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createLogger } from '@firedrill/kit';
import { waitFor } from '@firedrill/lab-infra';
import type { AgentFaultsAnswer } from '../shared/agent-protocol.ts';
import { FaultAgent } from './fault-agent.ts';

const logger = createLogger('agent-test', 'silent');
const latency = (id: string): AgentFaultsAnswer => ({
  faults: [{ id, family: 'latency', target: 'api', ms: 500, jitterMs: 0, rate: 1, expiresAt: new Date(Date.now() + 60_000).toISOString() }],
  version: 1,
  pollMs: 20,
});

/**
 * A stand-in for the controller's agent endpoint over real HTTP: it answers the first poll with
 * a fault at once and holds every later poll until the test answers it.
 */
async function holdingController() {
  const held: { res: http.ServerResponse; aborted: boolean }[] = [];
  let polls = 0;
  const server = http.createServer((_req, res) => {
    polls++;
    if (polls === 1) return void res.setHeader('content-type', 'application/json').end(JSON.stringify(latency('flt_first')));
    const entry = { res, aborted: false };
    res.on('close', () => {
      if (!res.writableFinished) entry.aborted = true;
    });
    held.push(entry);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    held,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

describe('FaultAgent.close()', () => {
  let controller: Awaited<ReturnType<typeof holdingController>> | undefined;
  afterEach(() => controller?.close());

  /** An agent carrying the first fault, with its second poll held by the stand-in. */
  async function agentWithPollInFlight(): Promise<FaultAgent> {
    controller = await holdingController();
    const agent = new FaultAgent({ service: 'api', controllerUrl: controller.url, token: 't'.repeat(32), logger }).start();
    await waitFor('the agent to carry the first fault', async () => agent.active('latency').length === 1, { timeoutMs: 3_000, intervalMs: 5 });
    await waitFor('a second poll to be in flight', async () => controller!.held.length === 1, { timeoutMs: 3_000, intervalMs: 5 });
    return agent;
  }

  it('when a poll is in flight at close, then it is aborted at once (not left to its 1 s timeout)', async () => {
    const agent = await agentWithPollInFlight();

    agent.close();

    expect(agent.active('latency')).toEqual([]);
    await waitFor('the poll in flight to be aborted', async () => controller!.held[0]!.aborted, { timeoutMs: 500, intervalMs: 5 });
  });

  it('when the controller answers a poll after close, then no fault comes back', async () => {
    const agent = await agentWithPollInFlight();
    const changes: number[] = [];
    agent.onChange((faults) => changes.push(faults.length));

    agent.close();
    const held = controller!.held[0]!.res;
    held.setHeader('content-type', 'application/json');
    held.end(JSON.stringify(latency('flt_late')));

    // Nothing to wait for but the fault coming back, which must not happen: bounded, and far
    // longer than a local answer takes to arrive.
    await expect(waitFor('the late fault to come back', async () => agent.active('latency').length > 0, { timeoutMs: 300, intervalMs: 5 })).rejects.toThrow();
    expect(agent.idle).toBe(true);
    expect(changes).toEqual([0]); // the revert at close, and nothing after it
  });
});
