import { chmodSync, mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'vitest';
import { createLogger } from '@firedrill/kit';
import { controllerConfigSchema, createToxiproxyClient, ensureTokenFile, startController } from '@firedrill/chaos';
import { freePort, startToxiproxy, type ToxiproxyServer } from '@firedrill/lab-infra';
import { createTestDatabase, testRedisUrl } from '@firedrill/lab-infra/testing';

/** Whether each live agent of a change's target applied it. */
export interface AgentStatus {
  agent: string;
  service: string;
  applied: boolean;
}

/**
 * A real chaos controller of the test's own, in-process, on a lab database of its own, with a
 * real Toxiproxy (every change reconciles its proxies) and the Redis it administers. The shop's
 * services join it through `agentEnv`.
 */
export class ChaosHarness {
  readonly dir = mkdtempSync(path.join(os.tmpdir(), 'faults-test-'));
  controller!: Awaited<ReturnType<typeof startController>>;
  toxiproxy!: ToxiproxyServer;
  labDatabaseUrl!: string;
  redisAdminUrl!: string;
  instructorToken!: string;

  static async start(options: { redisAdminUrl?: string } = {}): Promise<ChaosHarness> {
    const harness = new ChaosHarness();
    chmodSync(harness.dir, 0o755);
    harness.instructorToken = ensureTokenFile(path.join(harness.dir, 'instructor-token'));
    ensureTokenFile(path.join(harness.dir, 'agent-token'));
    harness.labDatabaseUrl = await createTestDatabase('lab');
    harness.redisAdminUrl = options.redisAdminUrl ?? testRedisUrl();
    harness.toxiproxy = await startToxiproxy({ port: await freePort(), logFile: path.join(harness.dir, 'toxiproxy.log') });
    // The proxies exist so that network reconciliation succeeds; these tests' shops do not use them.
    await createToxiproxyClient(harness.toxiproxy.url).populate([
      { name: 'postgres', listen: `127.0.0.1:${await freePort()}`, upstream: '127.0.0.1:1' },
      { name: 'redis', listen: `127.0.0.1:${await freePort()}`, upstream: '127.0.0.1:1' },
    ]);
    await harness.startController();
    return harness;
  }

  /** (Re)starts the controller on the same database: a restart restores what it must. */
  async startController(overrides: Record<string, string> = {}): Promise<void> {
    const config = controllerConfigSchema.parse({
      PORT: '0',
      LAB_DATABASE_URL: this.labDatabaseUrl,
      TOXIPROXY_URL: this.toxiproxy.url,
      REDIS_ADMIN_URL: this.redisAdminUrl,
      INSTRUCTOR_TOKEN_FILE: path.join(this.dir, 'instructor-token'),
      AGENT_TOKEN_FILE: path.join(this.dir, 'agent-token'),
      AGENT_POLL_MS: '100',
      ...overrides,
    });
    this.controller = await startController(config, { logger: createLogger('chaos', process.env.TEST_LOG_LEVEL ?? 'silent') });
  }

  /** What a shop service needs to carry its agent against this controller. */
  get agentEnv(): Record<string, string> {
    return { CHAOS_URL: this.controller.url, CHAOS_AGENT_TOKEN_FILE: path.join(this.dir, 'agent-token') };
  }

  call(method: string, url: string, body?: unknown): Promise<Response> {
    return fetch(`${this.controller.url}${url}`, {
      method,
      headers: { authorization: `Bearer ${this.instructorToken}`, ...(body !== undefined && { 'content-type': 'application/json' }) },
      body: body === undefined ? null : JSON.stringify(body),
    });
  }

  /** Injects a fault and checks every live agent of its target carries it out before answering. */
  async inject(body: Record<string, unknown>): Promise<{ id: string } & Record<string, unknown>> {
    const res = await this.call('POST', '/api/faults', { for: '5m', ...body });
    const json = (await res.json()) as { id: string; agents: AgentStatus[] } & Record<string, unknown>;
    expect(res.status, JSON.stringify(json)).toBe(201);
    expect(json.agents.filter((a) => !a.applied)).toEqual([]);
    return json;
  }

  async clear(id: string): Promise<void> {
    const res = await this.call('DELETE', `/api/faults/${id}`);
    expect(res.status).toBe(200);
    expect(((await res.json()) as { agents: AgentStatus[] }).agents.filter((a) => !a.applied)).toEqual([]);
  }

  async halt(): Promise<number> {
    const res = await this.call('POST', '/api/halt');
    expect(res.status).toBe(200);
    return ((await res.json()) as { cleared: number }).cleared;
  }

  async journal(): Promise<{ action: string; faultId: string | null; details: Record<string, unknown> }[]> {
    return ((await (await this.call('GET', '/api/journal')).json()) as { entries: never[] }).entries;
  }

  async close(): Promise<void> {
    await this.controller?.close();
    await this.toxiproxy?.stop();
  }
}
