import { setTimeout as sleep } from 'node:timers/promises';
import { exitCodes } from './command.ts';
import { progress, result } from './output.ts';
import type { controlClient } from '../supervisor/control-client.ts';

/**
 * Waits until every named process is healthy (after a deploy, a rollback, a scale), saying so;
 * the exit code says whether they made it in time.
 */
export async function waitHealthy(client: ReturnType<typeof controlClient>, names: readonly string[], timeoutMs = 60_000): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const services = (await client.status()).services.filter((s) => names.includes(s.name));
    const sick = services.filter((s) => !s.healthy);
    if (services.length === names.length && sick.length === 0) {
      result(services.map((s) => `${s.name} is healthy (pid ${s.pid}${s.version ? `, version ${s.version}` : ''}) at ${s.url}`).join('\n'));
      return exitCodes.ok;
    }
    if (Date.now() > deadline) {
      progress(`lab: not healthy after ${timeoutMs / 1000} s: ${sick.map((s) => `${s.name} (${s.state}; see ${s.logFile})`).join(', ')}`);
      return exitCodes.failed;
    }
    await sleep(250);
  }
}
