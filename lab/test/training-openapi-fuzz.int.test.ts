import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger, ensureTokenFile } from '@firedrill/kit';
import { freePort, runSchemathesis } from '@firedrill/lab-infra';
import { createTestDatabase, testRedisUrl, uniqueName } from '@firedrill/lab-infra/testing';
import { startTraining, trainingConfigSchema, type RunningTraining } from '@firedrill/training';
import { loadLabConfig } from '../src/config/lab-config.ts';
import { startControlServer } from '../src/supervisor/control-server.ts';
import { Supervisor } from '../src/supervisor/supervisor.ts';
import type { ProcessSpec } from '../src/topology/process-spec.ts';

/**
 * The training process's ops API fuzzed by schemathesis, with a real lab supervisor behind its
 * deploys, rollbacks, restarts and scales (running stand-in node processes for the shop, which
 * start in a blink): every documented operation, valid and invalid requests, no 5xx, every answer
 * as documented. Here, in the lab's tests, because the supervisor is the lab's.
 */
function standIn(name: string, extra: Partial<ProcessSpec> = {}): ProcessSpec {
  return {
    name,
    kind: 'service',
    port: 0,
    url: `fake://${name}`,
    dependsOn: [],
    restartOnCrash: true,
    versioned: true,
    health: async () => true,
    launch: () => ({ command: process.execPath, args: ['-e', 'setInterval(() => {}, 1000)'] }),
    ...extra,
  };
}

describe('training ops API OpenAPI, fuzzed by schemathesis', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'training-fuzz-'));
  let supervisor: Supervisor;
  let control: Server;
  let training: RunningTraining;
  let instructorToken: string;

  beforeAll(async () => {
    instructorToken = ensureTokenFile(path.join(dir, 'secrets', 'instructor-token'));
    ensureTokenFile(path.join(dir, 'secrets', 'operator-token'));
    ensureTokenFile(path.join(dir, 'secrets', 'agent-token'));
    const emptyScenariosDir = path.join(dir, 'scenarios');
    mkdirSync(emptyScenariosDir);
    const specs = [standIn('api'), standIn('payments'), standIn('worker', { scalable: { max: 3, replica: (index) => standIn(`worker-${index}`) } })];
    supervisor = new Supervisor(loadLabConfig({ LAB_STATE_DIR: dir }), specs, () => {});
    const controlPort = await freePort();
    control = await startControlServer(supervisor, controlPort, ensureTokenFile(path.join(dir, 'secrets', 'supervisor-token')), () => {});
    supervisor.start(controlPort);
    training = await startTraining(
      trainingConfigSchema.parse({
        PORT: '0',
        LAB_DATABASE_URL: await createTestDatabase('lab'),
        SHOP_ADMIN_DATABASE_URL: await createTestDatabase('shop'),
        REDIS_URL: testRedisUrl(),
        // Its own prefix; a fuzzed redis-delete keeps queue keys anyway.
        QUEUE_PREFIX: uniqueName('fdfuzz'),
        SUPERVISOR_URL: `http://127.0.0.1:${controlPort}`,
        SUPERVISOR_TOKEN_FILE: path.join(dir, 'secrets', 'supervisor-token'),
        INSTRUCTOR_TOKEN_FILE: path.join(dir, 'secrets', 'instructor-token'),
        OPERATOR_TOKEN_FILE: path.join(dir, 'secrets', 'operator-token'),
        AGENT_TOKEN_FILE: path.join(dir, 'secrets', 'agent-token'),
        DEAD_LETTER_LOCK_WAIT_MS: '0',
        // No scenario to start (a generated run is 404) and nothing real to break if one did: no
        // chaos controller or Prometheus where these point, journals in the temp dir.
        SCENARIOS_DIR: emptyScenariosDir,
        CHAOS_URL: 'http://127.0.0.1:9',
        PROMETHEUS_URL: 'http://127.0.0.1:9',
        RUNS_DIR: path.join(dir, 'runs'),
      }),
      { logger: createLogger('training-fuzz', 'silent') },
    );
  });
  afterAll(async () => {
    await training?.close();
    await supervisor?.shutdown('test over');
    control?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('when every documented operation gets generated valid and invalid requests, then no 5xx and every answer is as documented', async () => {
    // The instructor token reaches every operation (the role walk is identity.test.ts's).
    const { exitCode, output } = await runSchemathesis(`${training.url}/api/openapi.json`, { headers: [`Authorization: Bearer ${instructorToken}`] });
    if (exitCode !== 0) console.error(output);
    expect(exitCode).toBe(0);
  }, 120_000);
});
