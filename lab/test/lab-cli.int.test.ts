import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { chmodSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Queue } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePortBlock, waitFor } from '@firedrill/lab-infra';
import { fulfilmentQueueName, fulfilOrderJobName } from '@firedrill/queue-contract';
import { strippedEntryName, strippedSourcesLoader } from '../src/runtime/stripped-sources.ts';

const repoRoot = path.resolve(import.meta.dirname, '..', '..');
const cli = path.join(repoRoot, 'lab', 'src', 'main.ts');

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** A line of a service's log as pino writes it (packages/kit createLogger). */
interface LogLine {
  level: string;
  time: string;
  service: string;
  msg: string;
  [field: string]: unknown;
}

interface StatusJson {
  services: Array<{
    name: string;
    url: string;
    pid: number | null;
    port: number;
    healthy: boolean;
    uptimeSeconds: number | null;
    restarts: number;
    version: string | null;
  }>;
}

describe('lab CLI, as a user runs it', () => {
  let stateDir: string;
  let env: NodeJS.ProcessEnv;
  let listedPids: number[] = [];
  let placedOrderId = '';

  const lab = (...args: string[]): Promise<Run> =>
    new Promise((resolve) => {
      execFile(process.execPath, [cli, ...args], { env, cwd: repoRoot, timeout: 150_000 }, (error, stdout, stderr) => {
        resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr });
      });
    });

  const status = async (): Promise<StatusJson> => JSON.parse((await lab('status', '--json')).stdout) as StatusJson;
  const logLines = async (service: string): Promise<LogLine[]> =>
    (await lab('logs', service)).stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as LogLine);

  beforeAll(async () => {
    stateDir = mkdtempSync(path.join(os.tmpdir(), 'firedrill-lab-cli-'));
    chmodSync(stateDir, 0o755); // Postgres runs as its own user when we are root: it must reach its data dir
    env = { PATH: process.env.PATH, HOME: process.env.HOME, LAB_STATE_DIR: stateDir, LAB_PORT_BASE: String(await freePortBlock()) };
  });

  afterAll(async () => {
    // Whatever happened above, leave nothing running.
    await lab('down');
    rmSync(stateDir, { recursive: true, force: true });
  }, 120_000);

  it('when the lab is brought up detached, then it returns once healthy and prints every URL', { timeout: 150_000 }, async () => {
    const up = await lab('up', '--detach');

    expect(up.code, up.stderr).toBe(0);
    const base = Number(env.LAB_PORT_BASE);
    expect(up.stdout).toContain(`http://127.0.0.1:${base}`);
    expect(up.stdout).toContain(`http://127.0.0.1:${base + 90}`);
    expect(up.stdout).toContain(path.join(stateDir, 'logs'));
  });

  it('when asked for status as JSON, then every process (shop, data stores and their exporters, Prometheus, Alertmanager, chaos controller, training, Toxiproxy) is listed healthy with pid, port, URL and version', async () => {
    const { services } = await status();

    const base = Number(env.LAB_PORT_BASE);
    expect(services.map((s) => s.name).sort()).toEqual([
      'alertmanager',
      'api',
      'chaos',
      'console',
      'payments',
      'postgres',
      'postgres-exporter',
      'prom-label-proxy',
      'prometheus',
      'redis',
      'redis-exporter',
      'team-prometheus',
      'toxiproxy',
      'training',
      'worker',
    ]);
    for (const service of services) {
      expect(Object.keys(service).sort()).toEqual(['healthy', 'name', 'pid', 'port', 'restarts', 'uptimeSeconds', 'url', 'version']);
      expect(service).toMatchObject({ healthy: true, restarts: 0, pid: expect.any(Number), uptimeSeconds: expect.any(Number) });
    }
    expect(services.find((s) => s.name === 'api')).toMatchObject({ url: `http://127.0.0.1:${base}`, port: base });
    // Shown without its password (the lab's processes get it; a status screen is not for secrets).
    expect(services.find((s) => s.name === 'postgres')?.url).toBe(`postgres://postgres@127.0.0.1:${base + 10}/shop`);
    expect(services.find((s) => s.name === 'redis')?.url).toBe(`redis://127.0.0.1:${base + 20}`);
    expect(services.find((s) => s.name === 'chaos')?.url).toBe(`http://127.0.0.1:${base + 3}`);
    expect(services.find((s) => s.name === 'training')?.url).toBe(`http://127.0.0.1:${base + 4}`);
    // Shop services carry the release they run; the lab's own processes none.
    expect(services.find((s) => s.name === 'api')?.version).toBe('2.3.0');
    expect(services.find((s) => s.name === 'postgres')?.version).toBeNull();
    expect(services.find((s) => s.name === 'toxiproxy')?.url).toBe(`http://127.0.0.1:${base + 74}`);
    expect(services.find((s) => s.name === 'alertmanager')?.url).toBe(`http://127.0.0.1:${base + 93}`);
    listedPids = services.map((s) => s.pid!);
  });

  it('when the lab is started a second time, then it says it is already running and starts nothing', async () => {
    const again = await lab('up', '--detach');

    expect(again.code).toBe(0);
    expect(again.stderr).toContain('already running');
    expect((await status()).services.map((s) => s.pid)).toEqual(listedPids);
  });

  it('when a customer places an order, then the api accepts it and it is paid', async () => {
    const api = (await status()).services.find((s) => s.name === 'api')!;

    const response = await fetch(`${api.url}/api/orders`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'idempotency-key': `lab-cli-${Date.now()}` },
      body: JSON.stringify({ items: [{ productId: 'scale-timer', quantity: 1 }], customer: { email: 'lab-cli@approve.test' } }),
    });

    expect(response.status).toBe(201);
    const order = (await response.json()) as { id: string; status: string };
    expect(order.status).toBe('paid');
    placedOrderId = order.id;
  });

  it('when the worker is killed, then the supervisor restarts it and counts the restart', { timeout: 60_000 }, async () => {
    const worker = (await status()).services.find((s) => s.name === 'worker')!;
    process.kill(worker.pid!, 'SIGKILL');

    const now = await waitFor(
      'the worker to be restarted and healthy',
      async () => {
        const current = (await status()).services.find((s) => s.name === 'worker')!;
        return current.restarts === 1 && current.healthy && current;
      },
      { timeoutMs: 45_000, intervalMs: 200 },
    );
    expect(now).toMatchObject({ healthy: true, restarts: 1 });
    expect(now.pid).not.toBe(worker.pid);
    listedPids = (await status()).services.map((s) => s.pid!);
  });

  it("when a service log is asked for, then it prints that service's JSON lines, including where it listens; an unknown name lists the real ones", async () => {
    const logs = await lab('logs', 'api');
    const unknown = await lab('logs', 'nope');

    expect(logs.code, logs.stderr).toBe(0);
    const lines = logs.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as LogLine);
    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines) {
      expect(line).toMatchObject({ service: 'api', level: expect.stringMatching(/^(trace|debug|info|warn|error|fatal)$/), msg: expect.any(String) });
      expect(Number.isNaN(Date.parse(line.time)), `time ${line.time}`).toBe(false);
    }
    const api = (await status()).services.find((s) => s.name === 'api')!;
    expect(lines.find((line) => line.msg === 'api listening')).toMatchObject({ level: 'info', url: api.url });
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('api, worker');
  });

  it('when the worker log is asked for, then it shows the order placed above fulfilled, by its id', async () => {
    expect(placedOrderId).not.toBe('');

    const fulfilled = await waitFor(
      `"order fulfilled" for ${placedOrderId} in lab logs worker`,
      async () => (await logLines('worker')).find((line) => line.msg === 'order fulfilled' && line.orderId === placedOrderId),
      { timeoutMs: 20_000, intervalMs: 250 },
    );

    expect(fulfilled).toMatchObject({ service: 'worker', level: 'info' });
  });

  it("when the shop's services run, then each runs its TypeScript from the lab's stripped sources (the loader its first --import), and a job's error points at the line and column of its source", async () => {
    const started = performance.now();
    const cache = path.join(stateDir, 'stripped');
    const { services } = await status();
    for (const name of ['api', 'payments', 'worker']) {
      const { pid } = services.find((s) => s.name === name)!;
      const args = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
      expect(args[args.indexOf('--import') + 1], name).toBe(strippedSourcesLoader);
      expect(readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0'), name).toContain(`STRIPPED_SOURCES_DIR=${cache}`);
      // Every file of the service has its entry: none is left to Node's stripper (amaro).
      const src = path.join(repoRoot, 'services', name, 'src');
      for (const file of readdirSync(src, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'))) {
        expect(existsSync(path.join(cache, strippedEntryName(readFileSync(path.join(src, file))))), file).toBe(true);
      }
    }

    // A job for an order that does not exist: the worker's processor throws, and the worker logs the
    // error with its stack (jobs/job-wrapper.ts). Its frame in fulfil-order-job.ts must point at the throw.
    const orderId = randomUUID();
    const redisPassword = readFileSync(path.join(stateDir, 'secrets', 'redis-lab-password'), 'utf8').trim();
    const queue = new Queue(fulfilmentQueueName, {
      connection: { host: '127.0.0.1', port: Number(env.LAB_PORT_BASE) + 20, username: 'lab', password: redisPassword },
      prefix: 'firedrill',
    });
    await queue.add(fulfilOrderJobName, { orderId }, { jobId: orderId, attempts: 1 });
    await queue.close();
    const failed = await waitFor(
      `"job attempt failed" for ${orderId} in lab logs worker`,
      async () => (await logLines('worker')).find((line) => line.msg === 'job attempt failed' && line.jobId === orderId),
      { timeoutMs: 20_000, intervalMs: 250 },
    );
    const stack = (failed.err as { stack: string }).stack;
    const source = path.join(repoRoot, 'services', 'worker', 'src', 'jobs', 'fulfil-order-job.ts');
    const frame = stack.split('\n').find((l) => l.includes(`${source}:`));
    const [, line, column] = /:(\d+):(\d+)\)?$/.exec(frame ?? '') ?? [];
    expect(line, stack).toBeDefined();
    const sourceLine = readFileSync(source, 'utf8').split('\n')[Number(line) - 1]!;
    expect(sourceLine).toContain('does not exist');
    expect(sourceLine.slice(Number(column) - 1)).toMatch(/^new UnrecoverableError\(/);
    console.info(`stripped sources: checked in ${Math.round(performance.now() - started)} ms`);
  });

  it('when Alertmanager receives an alert, then the lab records when it fired and `lab alerts` lists it', async () => {
    const alertmanager = (await status()).services.find((s) => s.name === 'alertmanager')!;
    // Alertmanager wants the lab's basic auth (user:password in the state dir's secrets).
    const credentials = readFileSync(path.join(stateDir, 'secrets', 'prometheus-credentials'), 'utf8').trim();
    const posted = await fetch(`${alertmanager.url}/api/v2/alerts`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Basic ${Buffer.from(credentials).toString('base64')}` },
      body: JSON.stringify([{ labels: { alertname: 'LabCliTestAlert', severity: 'page', service: 'api' }, annotations: { summary: 'a test page' } }]),
    });
    expect(posted.status).toBe(200);
    type Listed = { alerts: { alertname: string; status: string; severity: string; firedAt: string }[] };
    const recorded = await waitFor(
      'LabCliTestAlert in lab alerts --json',
      async () => (JSON.parse((await lab('alerts', '--json')).stdout) as Listed).alerts.find((a) => a.alertname === 'LabCliTestAlert'),
      { timeoutMs: 20_000, intervalMs: 200 },
    );
    expect(recorded).toMatchObject({ status: 'firing', severity: 'page', firedAt: expect.any(String) });
    expect((await lab('alerts')).stdout).toMatch(/firing\s+page\s+LabCliTestAlert/);
  });

  it("when the trainees' way to Prometheus is asked, then the single lab's one gate wants its token and answers the shop's series (team open) only", async () => {
    const gate = `http://127.0.0.1:${Number(env.LAB_PORT_BASE) + 91}`;
    const token = readFileSync(path.join(stateDir, 'secrets', 'team-prometheus-open-token'), 'utf8').trim();
    const ask = (headers: Record<string, string>) => fetch(`${gate}/api/v1/query?query=up`, { headers, signal: AbortSignal.timeout(5_000) });
    const refused = await ask({});
    expect(refused.status).toBe(401);
    expect(refused.headers.get('www-authenticate')).toMatch(/^Bearer /);
    const answer = await ask({ authorization: `Bearer ${token}` });
    expect(answer.status).toBe(200);
    const up = ((await answer.json()) as { data: { result: { metric: Record<string, string> }[] } }).data.result;
    expect(up.length).toBeGreaterThan(0);
    expect([...new Set(up.map((r) => r.metric.team))]).toEqual(['open']);
  });

  it('when the lab is brought down, then every process it listed is gone and status reports nothing', { timeout: 120_000 }, async () => {
    const down = await lab('down');

    expect(down.code, down.stderr).toBe(0);
    expect(listedPids.filter(isAlive)).toEqual([]);
    const after = await lab('status', '--json');
    expect(after.code).toBe(3);
    expect(JSON.parse(after.stdout)).toEqual({ services: [] });
    expect((await lab('down')).stderr).toContain('lab is not running');
  });
});

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
