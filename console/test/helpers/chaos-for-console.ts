import path from 'node:path';
import { controllerConfigSchema, createToxiproxyClient, startController } from '@firedrill/chaos';
import { createLogger } from '@firedrill/kit';
import { freePort, startToxiproxy } from '@firedrill/lab-infra';
import { testRedisUrl } from '@firedrill/lab-infra/testing';

export interface ChaosForConsole {
  url: string;
  close(): Promise<void>;
}

/**
 * A real chaos controller on the lab database, with the instructor and agent tokens in `dir` (as
 * startTrainingForConsole writes them), and a real Toxiproxy: every fault change reconciles its
 * proxies. Agents apply nothing here (no shop), so changes are answered at once.
 */
export async function startChaosForConsole(dir: string, labDatabaseUrl: string): Promise<ChaosForConsole> {
  const toxiproxy = await startToxiproxy({ port: await freePort(), logFile: path.join(dir, 'toxiproxy.log') });
  await createToxiproxyClient(toxiproxy.url).populate([
    { name: 'postgres', listen: `127.0.0.1:${await freePort()}`, upstream: `127.0.0.1:${new URL(labDatabaseUrl).port}` },
    { name: 'redis', listen: `127.0.0.1:${await freePort()}`, upstream: `127.0.0.1:${new URL(testRedisUrl()).port}` },
  ]);
  const chaos = await startController(
    controllerConfigSchema.parse({
      PORT: '0',
      LAB_DATABASE_URL: labDatabaseUrl,
      TOXIPROXY_URL: toxiproxy.url,
      // Nothing listens on port 1: no Redis fault is injected through this controller.
      REDIS_ADMIN_URL: 'redis://127.0.0.1:1',
      INSTRUCTOR_TOKEN_FILE: path.join(dir, 'instructor-token'),
      AGENT_TOKEN_FILE: path.join(dir, 'agent-token'),
      AGENT_APPLY_TIMEOUT_MS: '0',
    }),
    { logger: createLogger('console-test-chaos', 'silent') },
  );
  return {
    url: chaos.url,
    close: async () => {
      await chaos.close();
      await toxiproxy.stop();
    },
  };
}
