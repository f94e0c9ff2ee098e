import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { createLogger, ensureTokenFile } from '@firedrill/kit';
import { createTestDatabase, testRedisUrl, uniqueName } from '@firedrill/lab-infra/testing';
import { startTraining, trainingConfigSchema, type RunningTraining } from '@firedrill/training';
import { startTestController, type TestController } from '@firedrill/chaos/testing';

export interface TrainingForConsole {
  training: RunningTraining;
  /** The lab's tokens, and team blue's trainee grace's. */
  tokens: { instructor: string; operator: string; agent: string; trainee: string };
  /** The lab database. */
  labDatabaseUrl: string;
  /** The chaos controller, when asked for (withChaos): the training process's too, as in the lab. */
  chaos: TestController | null;
}

/**
 * The real training process (real Postgres and Redis from the test run) with team "blue" and its
 * trainee "grace", and no shop. Files go in `dir`. With `withChaos`, a real chaos controller on the
 * same lab database, which the training process uses too (the caller closes it). Scenarios: none,
 * unless `scenariosDir` names some (the repo's own, say); a run started with the controller but
 * without a shop stays warming (its steady-state gate cannot pass) until it is stopped.
 */
export async function startTrainingForConsole(dir: string, options: { scenariosDir?: string; withChaos?: boolean } = {}): Promise<TrainingForConsole> {
  const scenariosDir = options.scenariosDir ?? path.join(dir, 'scenarios');
  // An empty list of scenarios is a directory with none in it (the training API answers 500 without one).
  mkdirSync(scenariosDir, { recursive: true });
  const tokens = { instructor: '', operator: '', agent: '', trainee: '' };
  for (const role of ['instructor', 'operator', 'agent'] as const) tokens[role] = ensureTokenFile(path.join(dir, `${role}-token`));
  const labDatabaseUrl = await createTestDatabase('lab');
  const chaos = options.withChaos ? await startTestController(dir, labDatabaseUrl) : null;
  const training = await startTraining(
    trainingConfigSchema.parse({
      PORT: '0',
      LAB_DATABASE_URL: labDatabaseUrl,
      SHOP_ADMIN_DATABASE_URL: await createTestDatabase('shop'),
      REDIS_URL: testRedisUrl(),
      QUEUE_PREFIX: uniqueName('fdconsole'),
      INSTRUCTOR_TOKEN_FILE: path.join(dir, 'instructor-token'),
      OPERATOR_TOKEN_FILE: path.join(dir, 'operator-token'),
      AGENT_TOKEN_FILE: path.join(dir, 'agent-token'),
      // Nothing listens on port 1: without the controller a run fails as it starts.
      CHAOS_URL: chaos?.url ?? 'http://127.0.0.1:1',
      SCENARIOS_DIR: scenariosDir,
      RUNS_DIR: path.join(dir, 'runs'),
      API_URL: 'http://127.0.0.1:1',
      PAYMENTS_URL: 'http://127.0.0.1:1',
      PROMETHEUS_URL: 'http://127.0.0.1:1',
    }),
    { logger: createLogger('console-test', 'silent') },
  );
  const auth = { authorization: `Bearer ${tokens.instructor}`, 'content-type': 'application/json' };
  const team = await fetch(`${training.url}/api/teams`, { method: 'POST', headers: auth, body: JSON.stringify({ name: 'blue' }) });
  if (team.status !== 201) throw new Error(`team blue: ${team.status} ${await team.text()}`);
  const added = await fetch(`${training.url}/api/trainees`, { method: 'POST', headers: auth, body: JSON.stringify({ name: 'grace', team: 'blue' }) });
  if (added.status !== 201) throw new Error(`trainee grace: ${added.status} ${await added.text()}`);
  tokens.trainee = ((await added.json()) as { token: string }).token;
  return { training, tokens, labDatabaseUrl, chaos };
}
