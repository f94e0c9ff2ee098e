/**
 * npm run bench:orders — k6 drives POST /api/orders at constant arrival rates against a native
 * lab of the benchmark's own (separate state dir and ports, so a running lab is left alone), and
 * this prints: lab up cold/warm times, achieved orders/s, p50/p95/p99, error rate, queue drain
 * time, and each process's RSS idle and under load. Figures only: nothing here passes or fails.
 *
 * A 10 s warm-up at 50 orders/s runs first and is not reported.
 * Env: BENCH_RATES (default "50,100,150,200,300"), BENCH_DURATION (default "20s").
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { k6Finished, startK6 } from './lib/k6.ts';

const repo = path.resolve(import.meta.dirname, '..');
const stateDir = path.join(repo, '.lab-bench');
const portBase = Number(process.env.BENCH_PORT_BASE ?? 7600);
const rates = (process.env.BENCH_RATES ?? '50,100,150,200,300').split(',').map(Number);
const duration = process.env.BENCH_DURATION ?? '20s';
const labEnv = { ...process.env, LAB_STATE_DIR: stateDir, LAB_PORT_BASE: String(portBase) };

interface ServiceStatus {
  name: string;
  url: string;
  pid: number;
  port: number;
  healthy: boolean;
}

function lab(...args: string[]): string {
  return execFileSync(process.execPath, [path.join(repo, 'lab/src/main.ts'), ...args], { env: labEnv, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

function timeLabUp(): number {
  const start = performance.now();
  lab('up', '--detach');
  return (performance.now() - start) / 1000;
}

function status(): ServiceStatus[] {
  return (JSON.parse(lab('status', '--json')) as { services: ServiceStatus[] }).services;
}

/** RSS of a process and all its descendants (Postgres forks a backend per connection). */
function treeRssMb(rootPid: number): number {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      children.set(ppid, [...(children.get(ppid) ?? []), Number(entry)]);
    } catch {
      /* process ended meanwhile */
    }
  }
  let kb = 0;
  const stack = [rootPid];
  while (stack.length) {
    const pid = stack.pop()!;
    try {
      const match = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
      kb += Number(match?.[1] ?? 0);
    } catch {
      /* gone */
    }
    stack.push(...(children.get(pid) ?? []));
  }
  return kb / 1024;
}

function rssSnapshot(): Record<string, number> {
  return Object.fromEntries(status().map((s) => [s.name, treeRssMb(s.pid)]));
}

async function runK6(rate: number, summaryFile: string, onMidway: () => void, stepDuration = duration): Promise<void> {
  const api = status().find((s) => s.name === 'api')!;
  const child = startK6('place-orders.js', {
    BASE_URL: api.url,
    RATE: String(rate),
    DURATION: stepDuration,
    RUN_ID: `bench-${rate}-${Date.now()}`,
    SUMMARY: summaryFile,
  });
  const seconds = Number.parseInt(stepDuration, 10);
  const midway = setTimeout(onMidway, (seconds * 1000) / 2);
  try {
    await k6Finished(child);
  } finally {
    clearTimeout(midway);
  }
}

async function queueDrainSeconds(databaseUrl: string): Promise<number> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  const start = performance.now();
  try {
    for (;;) {
      const { rows } = await client.query<{ n: string }>(`SELECT count(*) AS n FROM shop.orders WHERE status = 'paid'`);
      if (Number(rows[0]!.n) === 0) return (performance.now() - start) / 1000;
      if (performance.now() - start > 300_000) throw new Error(`${rows[0]!.n} orders still unfulfilled after 300 s`);
      await sleep(100);
    }
  } finally {
    await client.end();
  }
}

const fmt = (n: number, digits = 1) => n.toFixed(digits).padStart(8);

async function main() {
  const scratch = mkdtempSync(path.join(os.tmpdir(), 'firedrill-bench-'));
  try {
    lab('down');
  } catch {
    /* not running */
  }
  rmSync(stateDir, { recursive: true, force: true });

  console.log(
    `Firedrill orders benchmark — ${os.cpus().length} cores, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.versions.node}, k6 on the same machine`,
  );
  const cold = timeLabUp();
  lab('down');
  const warm = timeLabUp();
  console.log(`\nlab up --detach to healthy: cold (fresh state dir, initdb + migrations) ${cold.toFixed(1)} s, warm ${warm.toFixed(1)} s`);

  const postgres = status().find((s) => s.name === 'postgres')!;
  const shopUrl = postgres.url.replace(/\/[^/]*$/, '/shop');
  await sleep(3_000);
  const idle = rssSnapshot();
  let loaded: Record<string, number> = {};

  // Warm-up: V8 compiles the hot paths and the pools fill; its figures are not reported.
  await runK6(50, path.join(scratch, 'warm-up.json'), () => {}, '10s');
  await queueDrainSeconds(shopUrl);

  console.log(`\nPOST /api/orders, constant arrival rate, ${duration} per step`);
  console.log('  target/s  achieved/s   p50 ms   p95 ms   p99 ms   errors %   drain s');
  for (const rate of rates) {
    const summaryFile = path.join(scratch, `summary-${rate}.json`);
    await runK6(rate, summaryFile, () => {
      loaded = rssSnapshot();
    });
    const drain = await queueDrainSeconds(shopUrl);
    const m = JSON.parse(readFileSync(summaryFile, 'utf8')).metrics;
    const reqs = m.http_reqs.values;
    const d = m.http_req_duration.values;
    const failed = m.checks.values;
    const errors = 100 * (failed.fails / Math.max(1, failed.passes + failed.fails));
    const dropped = m.dropped_iterations?.values.count ?? 0;
    console.log(
      `  ${fmt(rate, 0)}  ${fmt(reqs.rate)}  ${fmt(d.med)} ${fmt(d['p(95)'])} ${fmt(d['p(99)'])}   ${fmt(errors, 2)}  ${fmt(drain)}${dropped ? `   (${dropped} iterations dropped: k6 ran out of VUs)` : ''}`,
    );
  }

  console.log('\nRSS per process (MB, including child processes)   idle   under load');
  for (const [name, mb] of Object.entries(idle)) {
    console.log(`  ${name.padEnd(48)} ${fmt(mb, 0)} ${fmt(loaded[name] ?? 0, 0)}`);
  }
  lab('down');
  rmSync(scratch, { recursive: true, force: true });
}

main().catch((err) => {
  console.error(err);
  try {
    lab('down');
  } catch {
    /* best effort */
  }
  process.exit(1);
});
