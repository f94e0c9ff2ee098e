import { chmodSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { logFileMode, logTeam, prepareLogFile, secureStateDir } from './state-dir-permissions.ts';

const mode = (file: string) => statSync(file).mode & 0o777;
let stateDir: string;
afterEach(() => rmSync(stateDir, { recursive: true, force: true }));

describe('state dir modes', () => {
  it("when an older lab left everything readable, then `lab up`'s pass closes secrets, journals, data dirs and non-shop logs and opens the shop's logs", () => {
    stateDir = mkdtempSync(path.join(os.tmpdir(), 'state-modes-'));
    const logsDir = path.join(stateDir, 'logs');
    const files = {
      'secrets/instructor-token': 0o644,
      'runs/r1/events.jsonl': 0o644,
      'prometheus/data/chunk': 0o644,
      'logs/chaos.log': 0o644,
      'logs/training.log': 0o644,
      'logs/api.log': 0o600,
      'logs/worker-2.log': 0o600,
      'lab.json': 0o644,
    };
    for (const [name, fileMode] of Object.entries(files)) {
      mkdirSync(path.dirname(path.join(stateDir, name)), { recursive: true, mode: 0o777 });
      writeFileSync(path.join(stateDir, name), 'x');
      chmodSync(path.join(stateDir, name), fileMode);
    }
    for (const dir of ['secrets', 'runs', 'prometheus', 'logs']) chmodSync(path.join(stateDir, dir), 0o777);

    secureStateDir({ stateDir, logsDir });

    const at = (name: string) => mode(path.join(stateDir, name));
    expect({
      stateDir: at('.'),
      secrets: at('secrets'),
      secret: at('secrets/instructor-token'),
      runs: at('runs'),
      prometheus: at('prometheus'),
      logs: at('logs'),
      chaosLog: at('logs/chaos.log'),
      trainingLog: at('logs/training.log'),
      apiLog: at('logs/api.log'),
      workerReplicaLog: at('logs/worker-2.log'),
      labJson: at('lab.json'),
    }).toEqual({
      stateDir: 0o755,
      secrets: 0o700,
      secret: 0o600,
      runs: 0o700,
      prometheus: 0o700,
      logs: 0o755,
      chaosLog: 0o600,
      trainingLog: 0o600,
      apiLog: 0o644,
      workerReplicaLog: 0o644,
      labJson: 0o644,
    });
  });

  it('when a log file is prepared, then it exists with its mode before anything writes to it', () => {
    stateDir = mkdtempSync(path.join(os.tmpdir(), 'state-modes-'));
    const old = process.umask(0o000); // a loose umask must not widen a private log
    try {
      prepareLogFile(path.join(stateDir, 'logs', 'chaos.log'));
      prepareLogFile(path.join(stateDir, 'logs', 'payments.log'));
    } finally {
      process.umask(old);
    }
    expect(mode(path.join(stateDir, 'logs', 'chaos.log'))).toBe(0o600);
    expect(mode(path.join(stateDir, 'logs', 'payments.log'))).toBe(0o644);
  });

  it("when a log's name is a shop service's (or a replica's, or a class's team's), then it is readable; any other process's is not", () => {
    expect(['api.log', 'payments.log', 'worker.log', 'worker-3.log'].map(logFileMode)).toEqual(Array(4).fill(0o644));
    // A class's team's: its team's group only (its trainees), not every trainee.
    expect(['blue-api.log', 'green-worker-2.log'].map(logFileMode)).toEqual([0o640, 0o640]);
    expect(['blue-api.log', 'green-worker-2.log', 'worker-2.log', 'api.log', 'chaos.log'].map(logTeam)).toEqual([
      'blue',
      'green',
      undefined,
      undefined,
      undefined,
    ]);
    expect(
      ['chaos.log', 'training.log', 'supervisor.log', 'toxiproxy.log', 'postgres.log', 'apiary.log', 'team-prometheus.log', 'blue-prom-label-proxy.log'].map(
        logFileMode,
      ),
    ).toEqual(Array(8).fill(0o600));
  });
});
