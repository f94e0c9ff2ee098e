import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { freePort, waitFor } from '@firedrill/lab-infra';

const repoRoot = path.resolve(import.meta.dirname, '..', '..');

export interface Service {
  name: string;
  url: string;
  logs: Record<string, unknown>[];
  child: ChildProcess;
}

/** A service as the lab runs it: its own process, instrumented by `--import @firedrill/kit/telemetry`. */
export async function startService(name: 'api' | 'payments' | 'worker', env: Record<string, string>, ready: string): Promise<Service> {
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', '@firedrill/kit/telemetry', `services/${name}/src/main.ts`], {
    cwd: repoRoot,
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      HOST: '127.0.0.1',
      PORT: String(port),
      LOG_LEVEL: 'info',
      OTEL_SERVICE_NAME: name,
      OTEL_TRACES_EXPORTER: 'otlp',
      OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
      OTEL_BSP_SCHEDULE_DELAY: '200',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const service: Service = { name, url: `http://127.0.0.1:${port}`, logs: [], child };
  let pending = '';
  child.stdout!.on('data', (chunk: Buffer) => {
    const lines = (pending + chunk.toString('utf8')).split('\n');
    pending = lines.pop() ?? '';
    for (const line of lines) {
      try {
        service.logs.push(JSON.parse(line) as Record<string, unknown>);
      } catch {
        // not a log record
      }
    }
  });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  await waitFor(
    `${name} ready`,
    async () => {
      if (child.exitCode !== null) throw new Error(`${name} exited ${child.exitCode}: ${stderr}`);
      return (await fetch(`${service.url}${ready}`)).ok;
    },
    { timeoutMs: 30_000, intervalMs: 100 },
  );
  return service;
}

/** SIGTERM, as the lab runner stops a service, and wait for the exit. */
export async function stopService(service: Service | undefined): Promise<void> {
  if (!service || service.child.exitCode !== null) return;
  const exited = new Promise((resolve) => service.child.once('exit', resolve));
  service.child.kill('SIGTERM');
  await exited;
}
