import path from 'node:path';
import { createLogger } from '@firedrill/kit';
import { freePort, startToxiproxy } from '@firedrill/lab-infra';
import { testRedisUrl } from '@firedrill/lab-infra/testing';
import { controllerConfigSchema } from '../controller/config.ts';
import { startController } from '../controller/start.ts';
import { createToxiproxyClient } from '../toxiproxy/toxiproxy-client.ts';

/** A chaos controller started for another package's tests, and how to stop it with its Toxiproxy. */
export interface TestController {
  url: string;
  close(): Promise<void>;
}

/**
 * A real chaos controller on the lab database, with the instructor and agent tokens in `dir` (the
 * test writes them, as `lab up` would), and a real Toxiproxy with the lab's `postgres` and `redis`
 * proxies: every fault change reconciles them. Agents apply nothing (no shop), so changes are
 * answered at once, and no Redis fault can reach a real Redis (nothing listens on port 1).
 * For the tests of the planes that talk to the controller (training, the console). `classTeams`:
 * the controller is a class's (CLASS_SHOPS, each team's Redis on port 1 too), so every fault names
 * one of them, as in a lab started with `--teams`; without, a single lab's.
 */
export async function startTestController(dir: string, labDatabaseUrl: string, options: { classTeams?: readonly string[] } = {}): Promise<TestController> {
  const toxiproxy = await startToxiproxy({ port: await freePort(), logFile: path.join(dir, 'toxiproxy.log') });
  try {
    await createToxiproxyClient(toxiproxy.url).populate([
      { name: 'postgres', listen: `127.0.0.1:${await freePort()}`, upstream: `127.0.0.1:${new URL(labDatabaseUrl).port}` },
      { name: 'redis', listen: `127.0.0.1:${await freePort()}`, upstream: `127.0.0.1:${new URL(testRedisUrl()).port}` },
    ]);
    const chaos = await startController(
      controllerConfigSchema.parse({
        PORT: '0',
        LAB_DATABASE_URL: labDatabaseUrl,
        TOXIPROXY_URL: toxiproxy.url,
        REDIS_ADMIN_URL: 'redis://127.0.0.1:1',
        INSTRUCTOR_TOKEN_FILE: path.join(dir, 'instructor-token'),
        AGENT_TOKEN_FILE: path.join(dir, 'agent-token'),
        AGENT_APPLY_TIMEOUT_MS: '0',
        CLASS_SHOPS: JSON.stringify(Object.fromEntries((options.classTeams ?? []).map((team) => [team, { redis: 'redis://127.0.0.1:1' }]))),
      }),
      { logger: createLogger('chaos-test-controller', 'silent') },
    );
    return {
      url: chaos.url,
      close: async () => {
        await chaos.close();
        await toxiproxy.stop();
      },
    };
  } catch (err) {
    await toxiproxy.stop();
    throw err;
  }
}
