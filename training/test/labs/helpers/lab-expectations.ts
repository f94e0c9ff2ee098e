import { readFileSync } from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { expect } from 'vitest';
import { waitFor, type NativeLab } from '@firedrill/lab-infra';
import { flagCatalogue } from '../../../src/flags/flag-catalogue.ts';
import { parseLever } from '../../../src/levers/lever.ts';
import { loadScenario } from '../../../src/scenario/load-scenario.ts';
import { leverMatches } from '../../../src/scenario/levers.ts';
import type { LabScenario } from '../../../src/scenario/scenario-schema.ts';
import { processesWith } from '../../helpers/processes.ts';
import { runsApi, type RunEvent } from '../../helpers/runs-api.ts';
import { story, type LabPlay } from './lab-with-bot.ts';
import { probeEmailDomain } from './order-probe.ts';

const scenariosDir = path.resolve(import.meta.dirname, '..', '..', '..', '..', 'scenarios');

/** The scenario file the run played, as the lab loads it. */
export function scenarioFile(id: string): LabScenario {
  return loadScenario(path.join(scenariosDir, id)).scenario as LabScenario;
}

/** The levers the bot pulled, in order, from the run's journal. */
export function botLevers(events: readonly RunEvent[]): RunEvent[] {
  return events.filter((e) => e.kind === 'lever.applied' && e.actor === 'operator:bot');
}

/**
 * Mitigated as the issue means it: the run resolved; at least one of the scenario's expected
 * alerts fired during it; and the bot pulled a lever the scenario's `endsWith` lists (checked
 * against the file, not only the engine's own annotation). Causes that end by themselves (a
 * fault's `for`) have no `endsWith`: then the bot must have pulled none of the wrong kind either.
 */
export function expectMitigated(play: LabPlay<unknown>, scenarioId: string): void {
  const scenario = scenarioFile(scenarioId);
  expect(play.run.state, story(play)).toBe('resolved');
  expect(play.bot.ended, story(play)).toBe('resolved');

  const fired = play.events.filter((e) => e.kind === 'alert.fired').map((e) => String(e.data.alertname));
  expect(
    fired.filter((name) => scenario.expectedAlerts.includes(name)),
    `fired: ${fired.join(', ')}\n${story(play)}`,
  ).not.toEqual([]);

  const endsWith = scenario.timeline.flatMap((step) => step.endsWith);
  if (endsWith.length === 0) return;
  const poisonJobIds = play.events.filter((e) => e.kind === 'fault.injected').map((e) => `legacy-${String(e.data.faultId)}`);
  const ending = botLevers(play.events).filter((e) => {
    const parsed = parseLever(String(e.data.lever));
    return parsed.ok && endsWith.some((listed) => leverMatches(listed, parsed.lever, { poisonJobIds }));
  });
  expect(
    ending.map((e) => e.data.matched),
    story(play),
  ).toContain('ends');
  // The cause ended by the bot's lever, not by the fault running out.
  const causesEnded = play.events.filter((e) => e.kind === 'cause.ended');
  expect(
    causesEnded.some((e) => e.data.by === 'lever' && ending.some((lever) => lever.id === e.data.leverEventId)),
    story(play),
  ).toBe(true);
}

/**
 * Nothing the run started is left: no fault active at the chaos controller, every service at
 * 2.3.0, every flag at its default, no k6 of the run.
 */
export async function expectRestored(lab: NativeLab, runId: string): Promise<void> {
  const api = runsApi(lab);
  expect(await api.activeFaults()).toEqual([]);
  expect(await api.currentVersions()).toEqual({ api: '2.3.0', payments: '2.3.0', worker: '2.3.0' });
  const defaults = Object.fromEntries(Object.entries(flagCatalogue).map(([name, definition]) => [name, definition.default]));
  expect(await api.flags()).toEqual(defaults);
  await waitFor('no k6 of the run', async () => processesWith(`testid=${runId}`).length === 0, { timeoutMs: 10_000, intervalMs: 250 });
}

/**
 * No accepted order lost, reconciled from Postgres: every order the test's own customer had
 * answered 201 ends fulfilled, and so does every order of the run that was paid (k6's), at least
 * as many as k6 counted 201s. Fulfilment may lag the run's end by the backlog's drain, so it is
 * awaited (bounded), never assumed.
 */
export async function expectNoOrderLost(lab: NativeLab, play: LabPlay<unknown>): Promise<OrderFigures> {
  expect(play.orders.accepted.length, 'the test placed no accepted order during the run').toBeGreaterThan(0);
  const db = new pg.Client({ connectionString: lab.postgresUrl('shop') });
  await db.connect();
  try {
    const since = new Date(play.run.createdAt);
    const counts = async () => {
      const { rows } = await db.query<{ probe_unfulfilled: string; paid_waiting: string; fulfilled_k6: string }>(
        `select count(*) filter (where id = any($1::uuid[]) and status <> 'fulfilled') as probe_unfulfilled,
                count(*) filter (where status = 'paid' and created_at >= $2) as paid_waiting,
                count(*) filter (where status = 'fulfilled' and created_at >= $2 and customer_email not like $3) as fulfilled_k6
           from shop.orders`,
        [play.orders.accepted, since, `%@${probeEmailDomain}`],
      );
      const row = rows[0]!;
      return { probeUnfulfilled: Number(row.probe_unfulfilled), paidWaiting: Number(row.paid_waiting), fulfilledK6: Number(row.fulfilled_k6) };
    };
    const settled = await waitFor(
      'every accepted order of the run fulfilled',
      async () => {
        const now = await counts();
        return now.probeUnfulfilled === 0 && now.paidWaiting === 0 ? now : undefined;
      },
      { timeoutMs: 90_000, intervalMs: 1_000 },
    ).catch(async (err: Error) => {
      throw new Error(`${err.message}: ${JSON.stringify(await counts())}`);
    });
    const { rows: found } = await db.query<{ n: string }>('select count(*) as n from shop.orders where id = any($1::uuid[])', [play.orders.accepted]);
    expect(Number(found[0]!.n)).toBe(play.orders.accepted.length);
    const k6Accepted = k6AcceptedOrders(lab, play.run.id);
    if (k6Accepted !== undefined) expect(settled.fulfilledK6).toBeGreaterThanOrEqual(k6Accepted);
    return { probeAccepted: play.orders.accepted.length, probeNotAccepted: play.orders.notAccepted, k6Accepted, k6Fulfilled: settled.fulfilledK6 };
  } finally {
    await db.end();
  }
}

export interface OrderFigures {
  probeAccepted: number;
  probeNotAccepted: number;
  k6Accepted: number | undefined;
  k6Fulfilled: number;
}

/** One line per lab for the CI log: how long it took, what the bot pulled, the orders. */
export function labReport(scenarioId: string, play: LabPlay<unknown>, orders: OrderFigures): string {
  const levers = botLevers(play.events).map((e) => `${String(e.data.lever)} (${String(e.data.matched ?? '-')})`);
  return `${scenarioId}: ${play.run.state} in ${Math.round(play.wallMs / 1000)} s; bot pulled ${levers.join(', ') || 'nothing'}; orders: test ${orders.probeAccepted} accepted (${orders.probeNotAccepted} not), k6 ${orders.k6Accepted ?? '?'} accepted, ${orders.k6Fulfilled} fulfilled, 0 lost`;
}

/**
 * How many orders k6 saw answered 201 (its "order accepted (201)" check), from the summary it
 * writes beside its log in the run's folder; undefined when it wrote none.
 */
export function k6AcceptedOrders(lab: NativeLab, runId: string): number | undefined {
  let exported: { root_group?: { checks?: Record<string, { passes?: number }> | Array<{ name: string; passes?: number }> } };
  try {
    exported = JSON.parse(readFileSync(path.join(lab.stateDir, 'runs', runId, 'k6.summary.json'), 'utf8'));
  } catch {
    return undefined;
  }
  const checks = exported.root_group?.checks ?? {};
  const list = Array.isArray(checks) ? checks : Object.entries(checks).map(([name, c]) => ({ name, ...c }));
  return list.find((c) => c.name === 'order accepted (201)')?.passes ?? 0;
}
