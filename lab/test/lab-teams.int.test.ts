import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { Redis } from 'ioredis';
import { renderDashboards } from '@firedrill/dashboards/catalogue';
import { resolveGrafanaVariables } from '@firedrill/dashboards/resolve-variables';
import { prometheusClientFromSettings } from '@firedrill/kit';
import { orderAccountOnceFulfilled, startNativeLab, teamPortsFor, waitFor, type NativeLab } from '@firedrill/lab-infra';
import { metricsObserver } from '@firedrill/training';
import { postgresMaxConnections } from '../src/topology/postgres-connections.ts';

/**
 * A class of two teams on one machine (docs/decisions/0015), through the real `lab` CLI: each
 * team's shop on its own ports, database and Redis server; a fault for blue (latency, Redis memory
 * pressure) changes blue's shop and nothing in green's; an alert names its team. One lab for the file.
 *
 * Retry-safe (vitest retries a failed test once, on the same lab): each attempt adds trainees of
 * its own name and clears the fault it injected, and a deploy picks a version the shop does not run.
 */
let lab: NativeLab;
const teams = ['blue', 'green'] as const;
const shop = (team: (typeof teams)[number]) => {
  // The api's offset is 0: its port is the lab's base.
  const ports = teamPortsFor(lab.ports.api, teams.indexOf(team) + 1);
  return { api: `http://127.0.0.1:${ports.api}`, payments: `http://127.0.0.1:${ports.payments}` };
};
const started = Date.now();
const redisClients: Redis[] = [];

/** Team `team`'s own Redis server, as the lab's `lab` user (directly, not through Toxiproxy). */
function teamRedis(team: (typeof teams)[number]): Redis {
  const url = new URL(lab.redisUrl());
  url.port = String(teamPortsFor(lab.ports.api, teams.indexOf(team) + 1).redis);
  const client = new Redis(url.toString(), { maxRetriesPerRequest: 1 });
  client.on('error', () => {}); // refusals are asserted on the commands
  redisClients.push(client);
  return client;
}

beforeAll(async () => {
  lab = await startNativeLab({ LAB_TEAMS: teams.join(',') });
  console.log(`two-team lab up in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}, 150_000);
afterAll(async () => {
  for (const client of redisClients) client.disconnect();
  await lab?.down();
  console.log(`two-team lab test took ${((Date.now() - started) / 1000).toFixed(1)} s in all`);
}, 120_000);

async function checkout(team: (typeof teams)[number]): Promise<{ status: number; ms: number; id?: string }> {
  const start = performance.now();
  const response = await fetch(`${shop(team).api}/api/orders`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'idempotency-key': randomUUID() },
    body: JSON.stringify({ items: [{ productId: 'mug-stoneware', quantity: 1 }], customer: { email: `${team}-${randomUUID().slice(0, 8)}@approve.test` } }),
  });
  const body = (await response.json()) as { id?: string };
  return { status: response.status, ms: performance.now() - start, ...(body.id && { id: body.id }) };
}

async function promQuery(query: string): Promise<{ metric: Record<string, string>; value: [number, string] }[]> {
  const response = await lab.prometheus(`/api/v1/query?query=${encodeURIComponent(query)}`);
  return ((await response.json()) as { data: { result: { metric: Record<string, string>; value: [number, string] }[] } }).data.result;
}

/** A team's Prometheus gate (in front of its prom-label-proxy), asked with `headers` (asTeam: its token). */
const gate = (team: (typeof teams)[number]) => `http://127.0.0.1:${teamPortsFor(lab.ports.api, teams.indexOf(team) + 1).teamPrometheus}`;
const gateToken = (team: string) => readFileSync(path.join(lab.stateDir, 'secrets', `team-prometheus-${team}-token`), 'utf8').trim();
const ask = (team: (typeof teams)[number], expr: string, headers: Record<string, string> = {}) =>
  fetch(`${gate(team)}/api/v1/query?${new URLSearchParams({ query: expr })}`, { headers, signal: AbortSignal.timeout(5_000) });
const asTeam = (team: string) => ({ authorization: `Bearer ${gateToken(team)}` });

/**
 * A new trainee of `team` and its personal token. Each call names a new one: a retried test
 * would otherwise add the same trainee again (409) and sign in with no token.
 */
async function addTrainee(team: (typeof teams)[number]): Promise<string> {
  const answer = await fetch(`${lab.url('training')}/api/trainees`, {
    method: 'POST',
    headers: { authorization: `Bearer ${lab.instructorToken}`, 'content-type': 'application/json' },
    body: JSON.stringify({ name: `${team}-${randomUUID().slice(0, 8)}`, team }),
  });
  expect(answer.status).toBe(201);
  return ((await answer.json()) as { token: string }).token;
}

/** The `lab` CLI as a trainee: its personal token (FIREDRILL_TOKEN), the lab's state dir and ports. */
function labAsTrainee(token: string, ...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const cli = path.join(import.meta.dirname, '..', 'src', 'main.ts');
  const env = { PATH: process.env.PATH, HOME: process.env.HOME, LAB_STATE_DIR: lab.stateDir, LAB_PORT_BASE: String(lab.ports.api), FIREDRILL_TOKEN: token };
  return new Promise((resolve) => {
    execFile(process.execPath, [cli, ...args], { env, timeout: 120_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr });
    });
  });
}

/** The `runbook.step` events of runbook `name` in the lab's journal, with the team whose timeline each is on. */
async function eventsOf(name: string): Promise<Array<{ team: string | null }>> {
  const client = new pg.Client({ connectionString: lab.postgresUrl('lab') });
  await client.connect();
  try {
    return (await client.query<{ team: string | null }>(`SELECT team FROM training.events WHERE kind = 'runbook.step' AND data->>'runbook' = $1`, [name])).rows;
  } finally {
    await client.end();
  }
}

async function ordersIn(database: string): Promise<string[]> {
  const client = new pg.Client({ connectionString: lab.postgresUrl(database) });
  await client.connect();
  try {
    return (await client.query<{ id: string }>('SELECT id FROM shop.orders')).rows.map((r) => r.id);
  } finally {
    await client.end();
  }
}

describe('a class of two teams on one machine', () => {
  it('runs each team’s shop on its own block of ports, grouped by team in lab status, and the shared planes once', async () => {
    const services = await lab.status();
    for (const team of teams) {
      for (const service of ['api', 'payments', 'worker']) {
        expect(services.find((s) => s.name === `${team}-${service}`)).toMatchObject({ team, healthy: true });
      }
    }
    expect(services.find((s) => s.name === 'blue-api')?.url).toBe(shop('blue').api);
    expect(services.find((s) => s.name === 'green-api')?.url).toBe(shop('green').api);
    expect(services.filter((s) => s.name === 'postgres' || s.name === 'chaos' || s.name === 'training')).toHaveLength(3);
    // Each team's own Redis, listed under its team; no Redis shared by the class.
    for (const team of teams) {
      expect(services.find((s) => s.name === `${team}-redis`)).toMatchObject({
        team,
        healthy: true,
        url: `redis://127.0.0.1:${teamPortsFor(lab.ports.api, teams.indexOf(team) + 1).redis}`,
      });
    }
    expect(services.find((s) => s.name === 'redis')).toBeUndefined();
    const table = (await lab.lab('status')).stdout;
    // A team's label proxy is its team's too (listed under it), not a shared plane.
    expect(services.find((s) => s.name === 'green-prom-label-proxy')).toMatchObject({ team: 'green' });
    expect(table).toMatch(/team blue\n(blue-\S+ .*\n){3}/);
    expect(table).toMatch(/team green\n(green-\S+ .*\n){3}/);
    expect(table).toContain('shared by every team');
    // The one Redis exporter reads each team's server through /scrape (its /metrics is empty in a class).
    expect(services.find((s) => s.name === 'redis-exporter')?.url).toBe(`${lab.url('redisExporter')}/scrape?target=<a team's redis>`);
    // Toxiproxy has each team's paths and no `redis` of the class's own: it would lead to no server.
    const proxies = Object.keys((await (await fetch(`${lab.url('toxiproxy')}/proxies`)).json()) as Record<string, unknown>).sort();
    expect(proxies).toEqual(['blue-postgres', 'blue-redis', 'green-postgres', 'green-redis', 'postgres']);
  });

  it("serves every team's Prometheus gate from one process; each gate wants its own team's token and answers its own team's series only", async () => {
    const services = await lab.status();
    expect(services.filter((s) => s.name.endsWith('team-prometheus')).map((s) => s.name)).toEqual(['team-prometheus']);
    expect(
      services
        .filter((s) => s.name.endsWith('prom-label-proxy'))
        .map((s) => s.name)
        .sort(),
    ).toEqual(['blue-prom-label-proxy', 'green-prom-label-proxy']);
    // No token, or blue's token on green's gate: 401, whatever the path.
    expect((await ask('green', 'up')).status).toBe(401);
    expect((await ask('green', 'up', asTeam('blue'))).status).toBe(401);
    expect((await fetch(`${gate('green')}/-/healthy`, { headers: asTeam('blue') })).status).toBe(401);
    expect((await ask('blue', 'up')).status).toBe(401);
    // Blue's token on blue's gate: blue's series only, and no fault metric.
    type Vector = { data: { result: { metric: Record<string, string> }[] } };
    // Right after `lab up` Prometheus may not have scraped a team's shop yet: wait for its first series.
    const upOf = (team: (typeof teams)[number]) =>
      waitFor(
        `team ${team}'s up series through its gate`,
        async () => {
          const vector = (await (await ask(team, 'up', asTeam(team))).json()) as Vector;
          return vector.data.result.length > 0 ? vector : undefined;
        },
        { timeoutMs: 30_000, intervalMs: 500 },
      );
    const up = await upOf('blue');
    expect([...new Set(up.data.result.map((r) => r.metric.team))]).toEqual(['blue']);
    for (const expr of ['chaos_fault_active', '{__name__=~"chaos_.+"}']) {
      const answer = await ask('blue', expr, asTeam('blue'));
      expect(answer.status, expr).toBe(200);
      expect(((await answer.json()) as Vector).data.result, expr).toEqual([]);
    }
    const greenUp = await upOf('green');
    expect([...new Set(greenUp.data.result.map((r) => r.metric.team))]).toEqual(['green']);
  });

  it("gives the shared Postgres exporter's series of a team's database that team: blue's gate returns blue's database only, the server's own stay team-less, and database-diagnose finds blue's", async () => {
    const began = Date.now();
    type Vector = { data: { result: { metric: Record<string, string> }[] } };
    const throughGate = async (team: (typeof teams)[number], expr: string) => {
      const answer = await ask(team, expr, asTeam(team));
      expect(answer.status, expr).toBe(200);
      return ((await answer.json()) as Vector).data.result.map((r) => r.metric);
    };
    // The exporter is scraped every 5 s: wait for its first scrape with both teams' databases.
    await waitFor(
      'the teams’ databases’ series in Prometheus',
      async () => (await promQuery('pg_stat_database_numbackends{team=~"blue|green"}')).length === 2,
      {
        timeoutMs: 30_000,
        intervalMs: 500,
      },
    );
    for (const team of teams) {
      const other = teams.find((t) => t !== team)!;
      const backends = await throughGate(team, 'pg_stat_database_numbackends');
      expect(backends.map((m) => [m.datname, m.team])).toEqual([[`shop_${team}`, team]]);
      // The other team's database, however it is asked for, never answers (the proxy puts team="<team>" on every selector).
      for (const expr of [
        `pg_stat_database_numbackends{datname="shop_${other}"}`,
        `pg_stat_activity_count{datname="shop_${other}"}`,
        `pg_locks_count{datname="shop_${other}"}`,
      ])
        expect(await throughGate(team, expr), expr).toEqual([]);
      expect((await throughGate(team, 'pg_stat_activity_count')).every((m) => m.datname === `shop_${team}` && m.team === team)).toBe(true);
    }
    // In the lab's own Prometheus: a team on the teams' databases only; the others and the server-wide series carry none.
    const teamOfDatabase = Object.fromEntries((await promQuery('pg_stat_database_numbackends')).map((s) => [s.metric.datname, s.metric.team ?? '']));
    expect(teamOfDatabase).toMatchObject({ shop_blue: 'blue', shop_green: 'green', shop: '', lab: '', postgres: '' });
    expect((await promQuery('pg_settings_max_connections')).map((s) => s.metric.team)).toEqual([undefined]);
    expect((await promQuery('pg_up')).map((s) => s.metric.team)).toEqual([undefined]);

    // The repo's database-diagnose runbook for blue (through blue's label proxy): its connections step reads blue's database.
    const ran = await lab.lab('runbook', 'run', 'database-diagnose', '--team', 'blue', '--json');
    expect(ran.code, ran.stderr).toBe(0);
    const outcome = JSON.parse(ran.stdout) as { steps: Array<{ name: string; output: string }> };
    const connections = JSON.parse(outcome.steps.find((step) => step.name === 'database connections')!.output) as Vector;
    expect(connections.data.result.map((r) => [r.metric.datname, r.metric.team])).toEqual([['shop_blue', 'blue']]);
    console.log(`a team's Postgres series: ${((Date.now() - began) / 1000).toFixed(1)} s`);
  });

  it("sizes Postgres for the class: max_connections holds both teams' pools at their largest", async () => {
    const client = new pg.Client({ connectionString: lab.postgresUrl('postgres') });
    await client.connect();
    try {
      const { rows } = await client.query<{ max_connections: string }>('SHOW max_connections');
      expect(Number(rows[0]!.max_connections)).toBe(postgresMaxConnections(teams.length));
      expect(postgresMaxConnections(teams.length)).toBeGreaterThan(200); // more than the single lab's
    } finally {
      await client.end();
    }
  });

  it('created the teams in training', async () => {
    const response = await fetch(`${lab.url('training')}/api/teams`, { headers: { authorization: `Bearer ${lab.instructorToken}` } });
    expect(((await response.json()) as { teams: { name: string }[] }).teams.map((t) => t.name).sort()).toEqual(['blue', 'green']);
  });

  it('writes each team’s orders to its own database', async () => {
    const blue = await checkout('blue');
    const green = await checkout('green');
    expect([blue.status, green.status]).toEqual([201, 201]);
    const inBlue = await ordersIn('shop_blue');
    const inGreen = await ordersIn('shop_green');
    expect(inBlue).toContain(blue.id);
    expect(inBlue).not.toContain(green.id);
    expect(inGreen).toContain(green.id);
    expect(inGreen).not.toContain(blue.id);
  });

  it('scrapes each team’s services and its own Redis with its team label', async () => {
    await waitFor('both teams scraped', async () => (await promQuery('up{job=~"api|payments|worker", team!=""} == 1')).length === 6, {
      timeoutMs: 30_000,
      intervalMs: 1_000,
    });
    // Each team's Redis through the one exporter (/scrape?target=): redis_up per team, as RedisDown reads it.
    await waitFor('both teams’ Redis scraped', async () => (await promQuery('redis_up == 1')).length === 2, { timeoutMs: 30_000, intervalMs: 1_000 });
    expect((await promQuery('redis_up')).map((s) => s.metric.team).sort()).toEqual(['blue', 'green']);
    const up = await promQuery('up{job=~"api|payments|worker"}');
    expect(up.map((s) => `${s.metric.team}/${s.metric.job}`).sort()).toEqual([
      'blue/api',
      'blue/payments',
      'blue/worker',
      'green/api',
      'green/payments',
      'green/worker',
    ]);
  });

  it('slows blue’s payments with a fault for blue, leaves green’s checkout as it was, and pages blue only', { timeout: 150_000 }, async () => {
    const injected = await lab.chaos('POST', '/api/faults', { family: 'latency', target: 'payments', team: 'blue', ms: 400, for: '5m' });
    expect(injected.status).toBe(201);
    const faultId = ((await injected.json()) as { id: string }).id;
    // Cleared however this attempt ends: a retry starts from blue's shop as it was.
    onTestFinished(async () => {
      await lab.chaos('DELETE', `/api/faults/${faultId}`);
    });

    // Both teams shop at the same pace while the fault holds (a checkout every ~250 ms each).
    const results: Record<string, { status: number; ms: number }[]> = { blue: [], green: [] };
    let shopping = true;
    const shopper = async (team: (typeof teams)[number]) => {
      while (shopping) {
        results[team]!.push(await checkout(team));
        await sleep(250);
      }
    };
    const shoppers = Promise.all(teams.map(shopper));
    try {
      // An alert names its team: blue's api p95 crosses 300 ms and ApiHighLatencyP95 fires for blue.
      await waitFor(
        'ApiHighLatencyP95 firing for team blue',
        async () => {
          const alerts = ((await (await lab.prometheus('/api/v1/alerts')).json()) as { data: { alerts: { labels: Record<string, string>; state: string }[] } })
            .data.alerts;
          return alerts.some((a) => a.labels.alertname === 'ApiHighLatencyP95' && a.labels.team === 'blue' && a.state === 'firing');
        },
        { timeoutMs: 90_000, intervalMs: 2_000 },
      );
      // Enough checkouts of each team to compare (the alert may fire sooner on a retry).
      while (results.blue!.length < 20 || results.green!.length < 20) await sleep(250);
    } finally {
      shopping = false;
      await shoppers;
    }

    const alerts = ((await (await lab.prometheus('/api/v1/alerts')).json()) as { data: { alerts: { labels: Record<string, string> }[] } }).data.alerts;
    expect(alerts.filter((a) => a.labels.team === 'green')).toEqual([]);

    // Measured at the clients: every blue checkout took the fault's 400 ms; green's took their
    // usual time (the median: on a busy 2-core machine one checkout can be slow for other reasons,
    // a leaked 400 ms fault would slow every one).
    const fastest = (team: string) => Math.min(...results[team]!.map((r) => r.ms));
    const median = (team: string) => results[team]!.map((r) => r.ms).sort((a, b) => a - b)[Math.floor(results[team]!.length / 2)]!;
    expect(fastest('blue')).toBeGreaterThanOrEqual(400);
    expect(median('green')).toBeLessThan(200);
    expect(results.green!.every((r) => r.status === 201)).toBe(true);

    // Measured by Prometheus with the team label: blue's checkout p95 above 300 ms, green's far below.
    const p95 = await promQuery('service_route:http_request_duration_seconds:p95_1m{service="api",method="POST",route="/api/orders"}');
    const p95Of = (team: string) => Number(p95.find((s) => s.metric.team === team)?.value[1]);
    expect(p95Of('blue')).toBeGreaterThan(0.3);
    expect(p95Of('green')).toBeLessThan(0.3);
    // …and green's checkouts answered no server error (its readiness may have said 503 once while
    // it started, before its stores were reachable: that is not a fault's doing).
    const errors = await promQuery('sum by (team) (increase(http_requests_total{team="green", route="/api/orders", status_code=~"5.."}[5m]))');
    expect(errors.every((s) => Number(s.value[1]) === 0)).toBe(true);

    // The console draws each team's own charts: green's trainee sees green's p95 (fast), the
    // instructor picks blue and sees blue's (slow); a trainee cannot ask for another team's.
    const console = lab.url('console');
    const signIn = async (token: string) => {
      const answer = await fetch(`${console}/console/sign-in`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', origin: console },
        body: JSON.stringify({ token }),
      });
      expect(answer.status).toBe(201);
      return answer.headers.get('set-cookie')!.split(';')[0]!;
    };
    const greenCookie = await signIn(await addTrainee('green'));
    const instructorCookie = await signIn(lab.instructorToken);
    const latestApiP95 = async (cookie: string, query = '') => {
      const answer = await fetch(`${console}/console/charts/p95-latency?minutes=5${query}`, { headers: { cookie } });
      expect(answer.status).toBe(200);
      const chart = (await answer.json()) as { series: { label: string; points: [number, number][] }[] };
      const api = chart.series.filter((s) => s.label === 'api');
      expect(api).toHaveLength(1); // one team's api, never both side by side
      return api[0]!.points
        .map(([, v]) => v)
        .filter((v) => !Number.isNaN(v))
        .at(-1)!;
    };
    expect(await latestApiP95(greenCookie)).toBeLessThan(0.3);
    expect(await latestApiP95(instructorCookie, '&team=blue')).toBeGreaterThan(0.3);
    expect(await latestApiP95(instructorCookie, '&team=green')).toBeLessThan(0.3);
    expect((await fetch(`${console}/console/charts/p95-latency?team=blue`, { headers: { cookie: greenCookie } })).status).toBe(403);

    // The Postgres connections chart reads the shared server's exporter (no team label, so no
    // team's gate returns it): green's trainee and the instructor's pick see that team's database.
    const latestConnections = async (cookie: string, query = '') => {
      const answer = await fetch(`${console}/console/charts/postgres-connections?minutes=5${query}`, { headers: { cookie } });
      expect(answer.status).toBe(200);
      const { series } = (await answer.json()) as { series: { points: [number, number][] }[] };
      expect(series).toHaveLength(1);
      return series[0]!.points
        .map(([, v]) => v)
        .filter((v) => !Number.isNaN(v))
        .at(-1)!;
    };
    for (const [cookie, query] of [
      [greenCookie, ''],
      [instructorCookie, '&team=blue'],
    ] as const) {
      const used = await latestConnections(cookie, query);
      expect(used, query || 'green trainee').toBeGreaterThan(0); // the team's api holds pool connections
      expect(used, query || 'green trainee').toBeLessThan(1);
    }

    // The fault is in Prometheus with its team in fault_team (the instructor's dashboard picks by
    // it), and blue's own gate returns none of it while it acts on blue's shop.
    expect((await promQuery('chaos_fault_active')).map((s) => [s.metric.fault_team, s.metric.team])).toEqual([['blue', undefined]]);
    for (const expr of ['chaos_fault_active', '{__name__=~"chaos_.+"}', 'chaos_fault_active{fault_team="blue"}']) {
      const answer = await ask('blue', expr, asTeam('blue'));
      expect(answer.status, expr).toBe(200);
      expect(((await answer.json()) as { data: { result: unknown[] } }).data.result, expr).toEqual([]);
    }

    // From green's api directly: its own metrics count no 5xx on checkout, and its checkouts' mean stayed under 300 ms.
    const metrics = await (await fetch(`${shop('green').api}/metrics`)).text();
    expect(metrics).not.toMatch(/http_requests_total\{[^}]*route="\/api\/orders"[^}]*status_code="5\d\d"[^}]*\} [1-9]/);
    const sample = (name: string) =>
      Number(new RegExp(`^${name}\\{[^}]*method="POST"[^}]*route="/api/orders"[^}]*status_code="201"[^}]*\\} (\\S+)$`, 'm').exec(metrics)?.[1]);
    const mean = sample('http_request_duration_seconds_sum') / sample('http_request_duration_seconds_count');
    expect(mean).toBeGreaterThan(0);
    expect(mean).toBeLessThan(0.3);
  });

  it('takes --team where a command acts on a shop directly: restart and queue act on the named team only; a team not in the class is a usage error', async () => {
    const pids = async () => Object.fromEntries((await lab.status()).map((s) => [s.name, s.pid]));
    const before = await pids();
    const restarted = await lab.lab('restart', 'api', '--team', 'blue');
    expect(restarted.code, restarted.stderr).toBe(0);
    expect(restarted.stdout).toMatch(/^blue-api is healthy/);
    const after = await pids();
    expect(after['blue-api']).not.toBe(before['blue-api']);
    expect(after['green-api']).toBe(before['green-api']);

    // Green's queue: its own key prefix, holding the fulfilment of green's orders (the earlier tests made some).
    const queue = await lab.lab('queue', '--team', 'green', '--json');
    expect(queue.code, queue.stderr).toBe(0);
    const counts = (JSON.parse(queue.stdout) as { counts: Record<string, number> }).counts;
    expect(Object.values(counts).reduce((a, b) => a + b, 0)).toBeGreaterThan(0);
    const missing = await lab.lab('queue', 'dead-letter', 'no-such-job', '--team', 'green');
    expect(missing.stderr).toMatch(/no job no-such-job/i);

    // A team outside the class: the CLI's own check (restart, through the supervisor) and the training API's (queue).
    const refusals = {
      restart: "--team must be one of this class's teams (blue, green)",
      queue: 'Team red has no shop in this class (teams with one: blue, green)',
    };
    for (const [command, refusal] of Object.entries(refusals)) {
      const refused = await lab.lab(command, ...(command === 'restart' ? ['api'] : []), '--team', 'red');
      expect(refused.code, command).toBe(2);
      expect(refused.stderr).toContain(refusal);
    }
  });

  it("runs a runbook for one team with --team: its commands and probes reach that team's shop and series only, its steps go on that team's timeline; none named is a usage error", async () => {
    const began = Date.now();
    const name = `team-look-${randomUUID().slice(0, 8)}`;
    const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'runbook-team-')), `${name}.runbook.yaml`);
    writeFileSync(
      file,
      [
        `name: ${name}`,
        'title: Whose series and shop a class runbook sees',
        'kind: diagnostic',
        'steps:',
        '  - name: api series',
        `    command: curl -fsS -G "$FIREDRILL_PROMETHEUS_URL/api/v1/query" --data-urlencode 'query=count by (team) (up{job="api"})'`,
        '  - name: ready',
        '    probe: { http: { service: api, path: /api/health/ready, status: 200 } }',
        '',
      ].join('\n'),
    );
    const refused = await lab.lab('runbook', 'run', file, '--dry-run');
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain("in a class, name the team's shop: --team blue|green");

    const ran = await lab.lab('runbook', 'run', file, '--team', 'blue', '--json');
    expect(ran.code, ran.stderr).toBe(0);
    const outcome = JSON.parse(ran.stdout) as { ok: boolean; steps: Array<{ name: string; output: string }> };
    const seen = outcome.steps.find((step) => step.name === 'api series')!.output;
    // Through blue's prom-label-proxy: blue's api series, none of green's.
    expect(seen).toContain('"team":"blue"');
    expect(seen).not.toContain('green');

    const steps = await eventsOf(name);
    expect(steps.length).toBeGreaterThanOrEqual(4); // started and passed, for each step
    expect(new Set(steps.map((step) => step.team))).toEqual(new Set(['blue']));
    console.log(`runbook for a team: ${((Date.now() - began) / 1000).toFixed(1)} s`);
  });

  it("presses blue's own Redis with redis-memory-pressure for blue: its writes are refused (OOM) while green's shop takes and fulfils orders; the fault reverts by itself", {
    timeout: 90_000,
  }, async () => {
    const since = new Date();
    const blueRedis = teamRedis('blue');
    const greenRedis = teamRedis('green');
    // Small and short: a few MB of batch keys, then maxmemory just under what blue's server holds.
    const injected = await lab.chaos('POST', '/api/faults', { family: 'redis-memory-pressure', team: 'blue', mode: 'fill', maxmemoryMb: 4, for: '10s' });
    expect(injected.status, await injected.clone().text()).toBe(201);
    const faultId = ((await injected.json()) as { id: string }).id;
    onTestFinished(async () => {
      await lab.chaos('DELETE', `/api/faults/${faultId}`);
    });

    // Blue's server refuses writes, as Lab 5's shop sees it; green's takes them (its own server, no limit).
    await waitFor(
      "blue's Redis refusing writes",
      async () =>
        (
          await blueRedis.set('lab-teams:probe', 'x').then(
            () => '',
            (err: Error) => err.message,
          )
        ).startsWith('OOM'),
      { timeoutMs: 15_000, intervalMs: 250 },
    );
    expect(Number((await blueRedis.config('GET', 'maxmemory'))[1])).toBeGreaterThan(0);
    expect(await greenRedis.config('GET', 'maxmemory')).toEqual(['maxmemory', '0']);
    expect(await greenRedis.set('lab-teams:probe', 'x')).toBe('OK');
    // The bot trainee's observer, as each team's run reads Prometheus, meanwhile: blue's limit is
    // blue's alone (a class-wide max(redis_memory_max_bytes) would show it to green's bot as well).
    const prometheus = prometheusClientFromSettings(lab.url('prometheus'), path.join(lab.stateDir, 'secrets', 'prometheus-credentials'));
    const observedLimits = waitFor(
      "blue's limit seen by blue's observer",
      async () => ((await metricsObserver(prometheus, { team: 'blue' }).observe()).redisMemoryMaxBytes ?? 0) > 0,
      { timeoutMs: 15_000, intervalMs: 500 },
    ).then(async () => (await metricsObserver(prometheus, { team: 'green' }).observe()).redisMemoryMaxBytes);

    // Green's shop, meanwhile: every checkout taken, and every order fulfilled through green's queue.
    const green = await Promise.all([checkout('green'), checkout('green'), checkout('green')]);
    expect(green.map((r) => r.status)).toEqual([201, 201, 201]);
    const account = await orderAccountOnceFulfilled(lab.postgresUrl('shop_green'), since, 20_000, 500);
    expect(account).toMatchObject({ placed: 3, fulfilled: 3, awaitingFulfilment: 0 });
    expect(((await lab.chaos('GET', '/api/faults').then((r) => r.json())) as { faults: { id: string }[] }).faults.map((f) => f.id)).toContain(faultId);
    expect(await observedLimits).toBe(0);

    // Its 10 s over, the controller restores blue's server: no limit, no batch keys, writes taken again.
    await waitFor(
      "blue's Redis restored",
      async () =>
        (await blueRedis.config('GET', 'maxmemory'))[1] === '0' &&
        (await blueRedis.set('lab-teams:probe', 'y').then(
          () => true,
          () => false,
        )),
      { timeoutMs: 40_000, intervalMs: 500 },
    );
    expect((await blueRedis.scan('0', 'MATCH', 'batch:*', 'COUNT', 10_000))[1]).toEqual([]);
    expect(((await lab.chaos('GET', '/api/faults').then((r) => r.json())) as { faults: { id: string }[] }).faults.map((f) => f.id)).not.toContain(faultId);
  });

  it("waits, after a trainee's rollback (no --team: training takes its own), for its own team's process, not for a `api` no class runs", async () => {
    const currentApi = async () =>
      (
        (await (await fetch(`${lab.url('training')}/api/releases?team=green`, { headers: { authorization: `Bearer ${lab.instructorToken}` } })).json()) as {
          current: { api: string };
        }
      ).current.api;
    const before = await currentApi();
    // A version green's api does not run now (a retry finds the first attempt's release in place).
    const version = before === '2.3.1' ? '2.3.2' : '2.3.1';
    const deployed = await lab.lab('deploy', 'api', version, '--team', 'green');
    expect(deployed.code, deployed.stderr).toBe(0);
    expect(deployed.stdout).toMatch(new RegExp(`^green-api is healthy \\(pid \\d+, version ${version.replaceAll('.', '\\.')}\\)`, 'm'));

    const rolledBack = await labAsTrainee(await addTrainee('green'), 'rollback', 'api');
    expect(rolledBack.code, rolledBack.stderr).toBe(0);
    expect(rolledBack.stderr).toContain(`api rolled back to ${before}`);
    expect(rolledBack.stdout).toMatch(new RegExp(`^green-api is healthy \\(pid \\d+, version ${before.replaceAll('.', '\\.')}\\)`, 'm'));
    expect((await lab.status()).find((s) => s.name === 'green-api')).toMatchObject({ healthy: true, version: before });
    expect((await lab.status()).find((s) => s.name === 'blue-api')?.version).not.toBe(version);
  });
});

describe("Grafana's dashboards in a class: the team variable", () => {
  type Json = Record<string, any>;
  /** Each vector selector of a generated query (every one carries the team matcher: test/grafana/dashboards.test.ts). */
  const selectorPattern = /[A-Za-z_:][\w:]*\{[^{}]*team=~"\$team\|"[^{}]*\}/g;

  it('when one team is chosen, then every query answers and each selector returns that team’s series and the shared planes’, never the other team’s', async () => {
    const testStart = Date.now();
    const dashboards = renderDashboards().map(({ text }) => JSON.parse(text) as Json);
    const exprs = dashboards.flatMap((d) => [
      ...(d.panels as Json[]).flatMap((p) => ((p.targets ?? []) as Json[]).map((t) => ({ where: `${d.uid} / ${p.title}`, expr: t.expr as string }))),
      ...(d.annotations.list as Json[]).map((a) => ({ where: `${d.uid} / annotation ${a.name}`, expr: a.expr as string })),
    ]);
    const selectors = [...new Set(exprs.flatMap(({ expr }) => expr.match(selectorPattern) ?? []))];
    expect(selectors.length).toBeGreaterThan(50);

    const query = async (expr: string) => {
      const answer = (await (await lab.prometheus(`/api/v1/query?query=${encodeURIComponent(expr)}`)).json()) as {
        status: string;
        error?: string;
        data?: { result: { metric: Record<string, string> }[] };
      };
      return answer;
    };
    /** The teams of the series a selector picks, `''` for series without one. */
    const teamsOf = async (selector: string) => new Set(((await query(`count by (team) (${selector})`)).data?.result ?? []).map((r) => r.metric.team ?? ''));

    // Every target scraped once (the file's other tests take longer than that; run alone, this one does not).
    await waitFor(
      "both teams' Redis and shop databases in Prometheus",
      async () =>
        (await teamsOf('redis_memory_used_bytes')).size === 2 &&
        ((await query('pg_stat_database_xact_commit{datname=~"shop_blue|shop_green"}')).data?.result ?? []).length === 2,
      { timeoutMs: 30_000, intervalMs: 500 },
    );
    // The variable's options are the class's teams.
    expect([...(await teamsOf('up'))].filter(Boolean).sort()).toEqual(['blue', 'green']);

    for (const team of teams) {
      const other = teams.find((t) => t !== team)!;
      for (const { where, expr } of exprs) {
        const answer = await query(resolveGrafanaVariables(expr, { team }));
        expect(answer.status, `${where} for ${team}: ${answer.error}`).toBe('success');
      }
      const seen = new Set<string>();
      for (const selector of selectors) {
        const picked = await teamsOf(resolveGrafanaVariables(selector, { team }));
        expect(picked.has(other), `${selector} for ${team} returns ${other}'s series`).toBe(false);
        for (const t of picked) seen.add(t);
      }
      // Both kinds are there: the team's own shop and stores, and the planes every team shares.
      expect([...seen].sort()).toEqual(['', team]);
    }

    // All (".*"): every team side by side; Redis, a server per team, is each team's own (the
    // datastores dashboard's `redis_*` panels), and Postgres' shop database is picked per team.
    expect([...(await teamsOf(resolveGrafanaVariables('redis_memory_used_bytes{team=~"$team|"}')))].sort()).toEqual(['blue', 'green']);
    // …and a series without `team` (the chaos controller's scrape), as Compose's and a single lab's planes have.
    expect([...(await teamsOf(resolveGrafanaVariables('up{job="chaos", team=~"$team|"}')))]).toEqual(['']);
    expect([...(await teamsOf(resolveGrafanaVariables('redis_memory_used_bytes{team=~"$team|"}', { team: 'green' })))]).toEqual(['green']);
    const databases = async (team?: string) =>
      ((await query(resolveGrafanaVariables('pg_stat_database_xact_commit{datname=~"shop|shop_$team", team=~"$team|"}', { team }))).data?.result ?? [])
        .map((r) => r.metric.datname)
        .sort();
    expect(await databases('blue')).toEqual(['shop', 'shop_blue']);
    expect(await databases()).toEqual(['shop', 'shop_blue', 'shop_green']);
    console.log(
      `dashboards' team variable: ${exprs.length} queries and ${selectors.length} selectors checked for two teams in ${((Date.now() - testStart) / 1000).toFixed(1)} s`,
    );
  });
});
