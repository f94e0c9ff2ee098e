import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { maxWorkers } from '@firedrill/lab-infra';
import { loadLabConfig } from '../config/lab-config.ts';
import { labProcesses } from './lab-processes.ts';
import { labConnectionsAtMost, postgresMaxConnections, readonlyConnectionLimit, shopConnectionsAtMost, shopPoolMax } from './postgres-connections.ts';

const stateDir = mkdtempSync(path.join(os.tmpdir(), 'firedrill-pg-connections-'));
afterAll(() => rmSync(stateDir, { recursive: true, force: true }));

describe("the lab's Postgres connection budget (docs/decisions/0015)", () => {
  it("when a shop is counted, then it is its api's, payments' and every worker replica's pools, its trainees' read-only limit and training's probe pool", () => {
    expect(shopPoolMax).toEqual({ api: 20, payments: 20, worker: 10 });
    // 20 + 20 + 10 × 8 workers (`lab scale worker 8`) + 20 psql sessions + 2 for training's probes.
    expect(maxWorkers).toBe(8);
    expect(shopConnectionsAtMost()).toBe(20 + 20 + 10 * 8 + readonlyConnectionLimit + 2);
  });

  it('when the lab has no teams, then Postgres keeps the 200 connections it always had (one shop fits in it)', () => {
    expect(labConnectionsAtMost(1)).toBeLessThan(200);
    expect(postgresMaxConnections(0)).toBe(200);
  });

  it('when a class grows, then max_connections holds every team’s shop at its largest, with a tenth to spare and the superuser’s 3', () => {
    for (let teams = 1; teams <= 9; teams++) {
      const needed = labConnectionsAtMost(teams);
      expect(postgresMaxConnections(teams), `${teams} teams`).toBeGreaterThanOrEqual(Math.max(200, needed * 1.1 + 3));
      expect(postgresMaxConnections(teams), `${teams} teams`).toBeLessThanOrEqual(Math.max(200, needed * 1.1 + 4));
    }
    // bench:class's 8 teams ran out of the 200 connections every lab had; their shops alone may open 8 × 142.
    expect(postgresMaxConnections(8)).toBeGreaterThan(8 * shopConnectionsAtMost());
    // Each added team adds its shop's share, not a step: a 9th team costs ~156 slots (~5 MiB of shared memory).
    expect(postgresMaxConnections(9) - postgresMaxConnections(8)).toBe(Math.ceil(labConnectionsAtMost(9) * 1.1) - Math.ceil(labConnectionsAtMost(8) * 1.1));
  });

  it("when the lab starts a shop's services, then each pool is the size the budget counts (DB_POOL_MAX), in a class as in the single lab", () => {
    const poolOf = (config: ReturnType<typeof loadLabConfig>, name: string) =>
      labProcesses(config)
        .find((p) => p.name === name)!
        .launch().env!.DB_POOL_MAX;
    const klass = loadLabConfig({ LAB_PORT_BASE: '7400', LAB_STATE_DIR: path.join(stateDir, 'class'), LAB_TEAMS: 'blue,green' }, '/repo');
    const single = loadLabConfig({ LAB_PORT_BASE: '7400', LAB_STATE_DIR: path.join(stateDir, 'single') }, '/repo');
    for (const service of ['api', 'payments', 'worker'] as const) {
      expect(poolOf(klass, `green-${service}`)).toBe(String(shopPoolMax[service]));
      expect(poolOf(single, service)).toBe(String(shopPoolMax[service]));
    }
    const worker = labProcesses(klass).find((p) => p.name === 'blue-worker')!;
    const scalable = worker.scalable!;
    expect(scalable.max).toBe(maxWorkers);
    expect(scalable.replica(8).launch().env!.DB_POOL_MAX).toBe(String(shopPoolMax.worker));
  });
});
