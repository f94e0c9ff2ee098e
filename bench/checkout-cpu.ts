/**
 * npm run bench:checkout-cpu — what a checkout costs in CPU, and where it goes. Brings up a
 * native lab of its own (separate state dir and ports), drives the shop journey (scenarios/load)
 * with every visit buying, at fixed rates of orders/s, and prints for each rate:
 * - the lab's idle CPU (ms of CPU per second of wall time) just before the load;
 * - CPU ms per order over the measured window, for the lab's processes plus k6, with and without
 *   that idle share, and per process group (api, payments, worker, postgres, redis, toxiproxy,
 *   k6, prometheus, the rest);
 * - the same from /proc/stat for the whole machine, which on a shared machine includes other
 *   people's work: read it beside the lab's own sum, not instead of it.
 * Each order is one visit: the catalogue, one to three product pages and the checkout, so "per
 * order" includes its browsing, as in the scenarios' load profile. Figures only: nothing passes.
 *
 * Env: BENCH_RATES (orders/s, default "15,60"), BENCH_WARMUP_S (default 20), BENCH_WINDOW_S
 * (default 60), BENCH_IDLE_S (default 20), BENCH_LOAD (journey, the default, or checkout: POST /api/orders
 * alone, as decision 0003 measured it), BENCH_SETTLE_S (wait before each idle window, default 15), BENCH_PORT_BASE (default 7800), BENCH_PROFILE_DIR (when
 * set, the shop's services write V8 CPU profiles there, read with bench/cpu-profile-summary.ts),
 * BENCH_STRACE_S (when set, after the CPU window and under the same load, that many seconds of
 * `strace -c -f` on api, payments, worker and Toxiproxy: system calls per order by process — the
 * messages a checkout costs, counted rather than timed; strace slows them, so it is a window apart).
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { spawnK6 } from '@firedrill/training';
import { Redis } from 'ioredis';
import pg from 'pg';
import { sampleLabResources } from './lib/lab-resources.ts';
import { machineBusyTicks, processTicks, ticksPerSecond } from './lib/machine-cpu.ts';
import { fmt } from './lib/stats.ts';
import { countSyscalls } from './lib/syscall-counts.ts';

const repo = path.resolve(import.meta.dirname, '..');
const stateDir = path.join(repo, '.lab-bench-cpu');
const portBase = Number(process.env.BENCH_PORT_BASE ?? 7800);
const rates = (process.env.BENCH_RATES ?? '15,60').split(',').map(Number);
const warmupS = Number(process.env.BENCH_WARMUP_S ?? 20);
const windowS = Number(process.env.BENCH_WINDOW_S ?? 60);
const idleS = Number(process.env.BENCH_IDLE_S ?? 20);
const settleS = Number(process.env.BENCH_SETTLE_S ?? 15);
/** BENCH_LOAD=checkout: POST /api/orders alone (bench/k6/place-orders.js), as decision 0003 measured; default: the journey. */
const checkoutOnly = process.env.BENCH_LOAD === 'checkout';
const straceS = Number(process.env.BENCH_STRACE_S ?? 0);
const profileDir = process.env.BENCH_PROFILE_DIR ? path.resolve(process.env.BENCH_PROFILE_DIR) : undefined;
const labEnv = {
  ...process.env,
  LAB_STATE_DIR: stateDir,
  LAB_PORT_BASE: String(portBase),
  ...(profileDir ? { LAB_CPU_PROF_DIR: profileDir } : {}),
};

/** The groups printed, in this order; every other lab process falls in "rest". */
const groups = ['api', 'payments', 'worker', 'postgres', 'redis', 'toxiproxy', 'k6', 'prometheus', 'rest'] as const;

function lab(...args: string[]): string {
  return execFileSync(process.execPath, [path.join(repo, 'lab/src/main.ts'), ...args], { env: labEnv, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

function service(name: string): { url: string; pid: number } {
  const services = (JSON.parse(lab('status', '--json')) as { services: { name: string; url: string; pid: number }[] }).services;
  return services.find((s) => s.name === name)!;
}
const serviceUrl = (name: string) => service(name).url;

/** CPU of a window: the lab's processes by group, k6 apart, and the machine's busy time; seconds. */
interface WindowCpu {
  wallS: number;
  machineS: number;
  byGroup: Record<(typeof groups)[number], number>;
  labS: number;
}

function measureWindow(k6Pid?: number) {
  const started = performance.now();
  const machine0 = machineBusyTicks();
  const k60 = k6Pid ? processTicks(k6Pid) : 0;
  const sampler = sampleLabResources(stateDir, 1_000);
  return (): WindowCpu => {
    const usage = sampler.stop();
    const byGroup = Object.fromEntries(groups.map((g) => [g, 0])) as WindowCpu['byGroup'];
    for (const [name, g] of Object.entries(usage.groups)) {
      // The training process's own k6 (runs) is not ours; there are no runs here, so k6 is the bench's.
      const group = (groups as readonly string[]).includes(name) && name !== 'k6' ? (name as (typeof groups)[number]) : 'rest';
      byGroup[group] += g.cpuSeconds;
    }
    byGroup.k6 = k6Pid ? (processTicks(k6Pid) - k60) / ticksPerSecond : 0;
    const labS = Object.values(byGroup).reduce((a, b) => a + b, 0);
    return { wallS: (performance.now() - started) / 1000, machineS: (machineBusyTicks() - machine0) / ticksPerSecond, byGroup, labS };
  };
}

async function countOrders(db: pg.Client): Promise<number> {
  const { rows } = await db.query<{ n: string }>('SELECT count(*) AS n FROM shop.orders');
  return Number(rows[0]!.n);
}

/** Calls per Redis command since the server started (INFO commandstats). */
async function redisCalls(redis: Redis): Promise<Map<string, number>> {
  const info = await redis.info('commandstats');
  return new Map([...info.matchAll(/^cmdstat_(\S+?):calls=(\d+)/gm)].map(([, name, calls]) => [name!, Number(calls)]));
}

/** Transactions (each statement outside BEGIN … COMMIT is one) and rows the shop database has served. */
async function postgresCounters(db: pg.Client): Promise<{ xacts: number; rows: number; sessions: number }> {
  const { rows } = await db.query<{ xacts: string; rows: string; sessions: string }>(
    `SELECT xact_commit + xact_rollback AS xacts, tup_returned + tup_inserted + tup_updated + tup_deleted AS rows, sessions FROM pg_stat_database WHERE datname = 'shop'`,
  );
  return { xacts: Number(rows[0]!.xacts), rows: Number(rows[0]!.rows), sessions: Number(rows[0]!.sessions) };
}

/** Lines each shop service has logged so far. */
function logLines(): Record<string, number> {
  const count = (name: string) => {
    try {
      return readFileSync(path.join(stateDir, 'logs', `${name}.log`), 'utf8').split('\n').length - 1;
    } catch {
      return 0;
    }
  };
  return { api: count('api'), payments: count('payments'), worker: count('worker') };
}

/** Round trips and log lines of a window, per order. */
function countersWindow(redis: Redis, db: pg.Client) {
  const start = Promise.all([redisCalls(redis), postgresCounters(db), logLines()]);
  // idleXactsPerS: the idle lab's own transactions (health checks, exporters, the relay's poll),
  // which at a low rate are a visible share of the per-order figure.
  return async (orders: number, windowS: number, idleXactsPerS: number): Promise<string[]> => {
    const [redis0, pg0, logs0] = await start;
    const [redis1, pg1, logs1] = [await redisCalls(redis), await postgresCounters(db), logLines()];
    const per = (n: number) => (n / Math.max(1, orders)).toFixed(2);
    const commands = [...redis1].map(([name, calls]) => [name, calls - (redis0.get(name) ?? 0)] as const).filter(([, n]) => n > 0);
    commands.sort((a, b) => b[1] - a[1]);
    const redisTotal = commands.reduce((sum, [, n]) => sum + n, 0);
    return [
      `  per order: Redis commands ${per(redisTotal)} (${commands
        .slice(0, 8)
        .map(([name, n]) => `${name} ${per(n)}`)
        .join(', ')})`,
      `  per order: Postgres transactions in shop ${per(pg1.xacts - pg0.xacts)} (minus the idle lab's ${idleXactsPerS.toFixed(1)}/s: ${per(pg1.xacts - pg0.xacts - idleXactsPerS * windowS)}), rows touched ${per(pg1.rows - pg0.rows)}; new connections to shop in the window: ${pg1.sessions - pg0.sessions}`,
      `  per order: log lines ${Object.entries(logs1)
        .map(([name, n]) => `${name} ${per(n - (logs0[name] ?? 0))}`)
        .join(', ')}`,
    ];
  };
}

/** BENCH_STRACE_S: system calls per order of the shop's processes and Toxiproxy, the commonest first. */
async function syscallsPerOrder(db: pg.Client): Promise<string[]> {
  const traced = ['api', 'payments', 'worker', 'toxiproxy'];
  const stop = countSyscalls(Object.fromEntries(traced.map((name) => [name, service(name).pid])));
  await sleep(1_000); // attaching takes a moment; count orders from here
  const orders0 = await countOrders(db);
  await sleep(straceS * 1000);
  const orders = Math.max(1, (await countOrders(db)) - orders0);
  const counts = await stop();
  const lines = [`  per order, under strace for ${straceS} s (${orders} orders): system calls`];
  for (const name of traced) {
    const byCall = [...(counts[name] ?? new Map<string, number>())].filter(([, n]) => n / orders >= 0.1).sort((a, b) => b[1] - a[1]);
    lines.push(`    ${name.padEnd(10)} ${byCall.map(([call, n]) => `${call} ${(n / orders).toFixed(2)}`).join(', ')}`);
  }
  return lines;
}

async function main() {
  try {
    lab('down');
  } catch {
    /* not running */
  }
  rmSync(stateDir, { recursive: true, force: true });
  console.log(
    `Firedrill checkout CPU — ${os.cpus().length} cores, Node ${process.versions.node}, k6 on the same machine; load average ${os
      .loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')}`,
  );
  lab('up', '--detach');
  const api = serviceUrl('api');
  if (profileDir) {
    // Profile files are named CPU.<date>.<pid>…: say whose pid is whose.
    console.log(`CPU profiles to ${profileDir} at lab down: ${['api', 'payments', 'worker'].map((n) => `${n} pid ${service(n).pid}`).join(', ')}`);
  }
  // The lab's stores take credentials (decision 0016): read counters as the lab's own users.
  const secret = (name: string) => readFileSync(path.join(stateDir, 'secrets', name), 'utf8').trim();
  const shopDb = new URL(serviceUrl('postgres'));
  Object.assign(shopDb, { username: 'postgres', password: secret('postgres-password'), pathname: '/shop' });
  const db = new pg.Client({ connectionString: shopDb.href });
  await db.connect();
  const redisAdmin = new URL(serviceUrl('redis'));
  Object.assign(redisAdmin, { username: 'lab', password: secret('redis-lab-password') });
  const redis = new Redis(redisAdmin.href, { lazyConnect: false, maxRetriesPerRequest: 1 });
  try {
    for (const rate of rates) {
      await sleep(settleS * 1000); // start-up's compiling is over, the previous step's queue drains
      const idleXacts0 = (await postgresCounters(db)).xacts;
      const idle = measureWindow();
      await sleep(idleS * 1000);
      const idleCpu = idle();
      const idleXactsPerS = ((await postgresCounters(db)).xacts - idleXacts0) / idleCpu.wallS;
      const labIdlePerS = idleCpu.labS / idleCpu.wallS;
      const machineIdlePerS = idleCpu.machineS / idleCpu.wallS;

      const k6Duration = `${warmupS + windowS + (straceS > 0 ? straceS + 5 : 0) + 5}s`;
      const k6 = spawnK6(
        checkoutOnly
          ? {
              script: path.join(repo, 'bench', 'k6', 'place-orders.js'),
              args: ['--quiet'],
              env: { BASE_URL: api, RATE: String(rate), DURATION: k6Duration, RUN_ID: `cpu-${rate}-${Date.now()}`, SUMMARY: '/dev/null' },
            }
          : {
              script: path.join(repo, 'scenarios', 'load', 'shop-journey.ts'),
              args: ['--quiet', '--no-thresholds'],
              env: { BASE_URL: api, PROFILE: 'steady', RATE: String(rate), DURATION: k6Duration, CHECKOUT_SHARE: '1', THINK_SCALE: '0.2' },
            },
      );
      await sleep(warmupS * 1000);
      const orders0 = await countOrders(db);
      const load = measureWindow(k6.pid);
      const counters = countersWindow(redis, db);
      await sleep(windowS * 1000);
      const cpu = load();
      const orders = (await countOrders(db)) - orders0;
      const counted = await counters(orders, cpu.wallS, idleXactsPerS);
      const syscalls = straceS > 0 ? await syscallsPerOrder(db) : [];
      await k6.exited;

      const perOrder = (seconds: number) => (1000 * seconds) / Math.max(1, orders);
      console.log(
        `\n${rate} orders/s offered (${checkoutOnly ? 'checkouts alone' : 'shop journeys, each buying'}): ${orders} orders in ${cpu.wallS.toFixed(0)} s (${(orders / cpu.wallS).toFixed(1)}/s), after ${warmupS} s of warm-up`,
      );
      console.log(
        `  idle before the load, CPU ms/s: lab ${labIdlePerS * 1000 > 0 ? (labIdlePerS * 1000).toFixed(0) : '0'}, machine ${(machineIdlePerS * 1000).toFixed(0)} (the machine's includes other users)`,
      );
      console.log(`  CPU ms per order           all   minus idle`);
      console.log(`    lab processes + k6 ${fmt(perOrder(cpu.labS), 2)} ${fmt(perOrder(cpu.labS - labIdlePerS * cpu.wallS), 2)}`);
      console.log(`    machine (/proc/stat) ${fmt(perOrder(cpu.machineS), 2)} ${fmt(perOrder(cpu.machineS - machineIdlePerS * cpu.wallS), 2)}`);
      console.log('  by group        ms/order  % of a core   idle ms/s');
      for (const g of groups) {
        console.log(
          `    ${g.padEnd(12)} ${fmt(perOrder(cpu.byGroup[g]), 2)} ${fmt((100 * cpu.byGroup[g]) / cpu.wallS, 1)} % ${fmt((1000 * idleCpu.byGroup[g]) / idleCpu.wallS, 1)}`,
        );
      }
      for (const line of counted) console.log(line);
      for (const line of syscalls) console.log(line);
    }
  } finally {
    redis.disconnect();
    await db.end();
    lab('down');
  }
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
