/**
 * memory-leak in a real api process with a bounded heap, as the lab runs it (--max-old-space-size
 * through NODE_OPTIONS), driven by a real chaos controller: the heap grows as metrics show, the
 * process dies out of memory, a restart dies again while the fault lasts, and once the fault is
 * cleared a restarted api stays up.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { freePort, waitFor } from '@firedrill/lab-infra';
import { createTestDatabase, testQueuePrefix, testRedisUrl } from '@firedrill/lab-infra/testing';
import { ChaosHarness } from './helpers/chaos-harness.ts';

const repoRoot = path.resolve(import.meta.dirname, '..', '..');
/** Small enough that a test's leak reaches it in a few requests; the lab's own bound is larger. */
const heapLimitMb = 96;

interface ApiProcess {
  url: string;
  child: ChildProcess;
  stderr: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

let chaos: ChaosHarness;
let env: Record<string, string>;
let running: ApiProcess | undefined;

function spawnApi(port: number): ApiProcess {
  const child = spawn(process.execPath, ['--import', '@firedrill/kit/telemetry', 'services/api/src/main.ts'], {
    cwd: repoRoot,
    env: { ...env, HOST: '127.0.0.1', PORT: String(port) },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  return { url: `http://127.0.0.1:${port}`, child, stderr: () => stderr, exited };
}

async function startApi(): Promise<ApiProcess> {
  const api = spawnApi(await freePort());
  running = api;
  await waitFor(
    'the api to be live',
    async () => {
      if (api.child.exitCode !== null || api.child.signalCode !== null) throw new Error(`api exited: ${api.stderr()}`);
      return (await fetch(`${api.url}/api/health/live`)).ok;
    },
    { timeoutMs: 30_000, intervalMs: 100 },
  );
  return api;
}

async function metric(api: ApiProcess, name: string): Promise<number> {
  const text = await (await fetch(`${api.url}/metrics`)).text();
  const line = text.split('\n').find((l) => l.startsWith(`${name} `) || l.startsWith(`${name}{`));
  return Number(line?.split(' ').at(-1) ?? Number.NaN);
}

/** What a process that ran out of heap looks like: V8 aborts it, and says why. */
function expectOutOfMemory(exit: { code: number | null; signal: NodeJS.Signals | null }, stderr: string): void {
  expect(exit.signal === 'SIGABRT' || exit.code === 134).toBe(true);
  expect(stderr).toMatch(/heap out of memory/i);
}

beforeAll(async () => {
  chaos = await ChaosHarness.start();
  env = {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? '',
    LOG_LEVEL: 'warn',
    OTEL_SDK_DISABLED: 'true',
    NODE_OPTIONS: `--max-old-space-size=${heapLimitMb}`,
    DATABASE_URL: await createTestDatabase('api'),
    REDIS_URL: testRedisUrl(),
    QUEUE_PREFIX: testQueuePrefix(),
    // Payments plays no part here: the catalogue needs only Postgres.
    PAYMENTS_URL: `http://127.0.0.1:${await freePort()}`,
    ...chaos.agentEnv,
  };
});

afterEach(async () => {
  await chaos.halt();
  if (running && running.child.exitCode === null && running.child.signalCode === null) {
    running.child.kill('SIGKILL');
    await running.exited;
  }
});

afterAll(async () => {
  await chaos?.close();
});

describe('memory-leak', () => {
  it('when the api leaks per request, then heap and RSS climb in its metrics until it dies out of memory', async () => {
    const api = await startApi();
    const heapBefore = await metric(api, 'nodejs_heap_size_used_bytes');
    const rssBefore = await metric(api, 'process_resident_memory_bytes');
    await chaos.inject({ family: 'memory-leak', mbPerMinute: 0, kbPerRequest: 2048 });

    // Each request retains 2 MB; garbage the process had before may be collected meanwhile, so
    // send requests until the heap has grown by 12 MB (bounded), rather than expecting a sum.
    await waitFor(
      'the heap to grow by 12 MB',
      async () => {
        await (await fetch(`${api.url}/api/products`)).arrayBuffer();
        return (await metric(api, 'nodejs_heap_size_used_bytes')) - heapBefore >= 12 * 1024 * 1024;
      },
      { timeoutMs: 20_000, intervalMs: 0 },
    );
    expect(await metric(api, 'process_resident_memory_bytes')).toBeGreaterThan(rssBefore);

    let dead = false;
    void api.exited.then(() => (dead = true));
    await waitFor(
      'the api to run out of memory',
      async () => {
        await fetch(`${api.url}/api/products`).then(
          (r) => r.arrayBuffer(),
          () => undefined,
        );
        return dead;
      },
      { timeoutMs: 30_000, intervalMs: 0 },
    );
    expectOutOfMemory(await api.exited, api.stderr());
  });

  it('when the api is restarted while the fault lasts, then it dies again; once cleared, a restarted api stays up', async () => {
    // A fast leak over time, traffic or not: the restarted process takes the fault at start-up.
    // Injected directly: the api the first test killed may still count as a live agent for a
    // moment, and it cannot apply anything; no api runs now, the next one starts with the fault.
    const injected = await chaos.call('POST', '/api/faults', { for: '5m', family: 'memory-leak', mbPerMinute: 4096 });
    expect(injected.status).toBe(201);
    const { id } = (await injected.json()) as { id: string };
    const restarted = spawnApi(await freePort());
    running = restarted;
    expectOutOfMemory(await restarted.exited, restarted.stderr());

    // The dead process's agent may still count as live for a moment: only the clear itself matters.
    expect((await chaos.call('DELETE', `/api/faults/${id}`)).status).toBe(200);
    const api = await startApi();
    // The new api's agent carries the current fault set (no leak), so nothing is retained.
    await waitFor(
      "the restarted api's agent to carry the fault set",
      async () => {
        const { agents } = (await (await chaos.call('GET', '/api/agents')).json()) as { agents: { live: boolean; applied: boolean }[] };
        const live = agents.filter((a) => a.live);
        return live.length === 1 && live[0]!.applied;
      },
      { timeoutMs: 10_000, intervalMs: 100 },
    );
    for (let i = 0; i < 10; i++) expect((await fetch(`${api.url}/api/products`)).status).toBe(200);
    expect(await metric(api, 'nodejs_heap_size_used_bytes')).toBeLessThan((heapLimitMb / 2) * 1024 * 1024);
  });
});
