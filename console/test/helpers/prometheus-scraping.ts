import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { freePort, startManagedProcess, waitFor, which, type ManagedProcess } from '@firedrill/lab-infra';

export interface ScrapingPrometheus {
  url: string;
  close(): Promise<void>;
}

/**
 * A real Prometheus scraping `targets` (host:port, /metrics) every second, so a chart test has
 * real series within a few seconds. Its data and log live in `dir`.
 */
export async function startScrapingPrometheus(dir: string, targets: string[]): Promise<ScrapingPrometheus> {
  const binary = which('prometheus', ['/usr/bin', '/usr/local/bin']);
  if (!binary) throw new Error('prometheus is not installed (npx lab setup installs it)');
  const port = await freePort();
  const config = path.join(dir, 'prometheus.yml');
  writeFileSync(
    config,
    [
      'global:',
      '  scrape_interval: 1s',
      'scrape_configs:',
      '  - job_name: console-test',
      '    static_configs:',
      `      - targets: [${targets.map((t) => `'${t}'`).join(', ')}]`,
      '',
    ].join('\n'),
  );
  const prometheus: ManagedProcess = startManagedProcess({
    name: 'prometheus',
    command: binary,
    args: [`--config.file=${config}`, `--storage.tsdb.path=${path.join(dir, 'prometheus-data')}`, `--web.listen-address=127.0.0.1:${port}`],
    logFile: path.join(dir, 'prometheus.log'),
  });
  const url = `http://127.0.0.1:${port}`;
  await waitFor('prometheus ready', async () => (await fetch(`${url}/-/ready`).catch(() => undefined))?.ok, { timeoutMs: 30_000, intervalMs: 200 });
  return { url, close: () => prometheus.stop(5000) };
}
