import { mkdirSync } from 'node:fs';
import { Redis } from 'ioredis';
import { which } from './binaries.ts';
import { startManagedProcess, type ManagedProcess } from './managed-process.ts';
import { waitFor } from './wait-for.ts';

export interface RedisOptions {
  dataDir: string;
  port: number;
  logFile: string;
  /** Keep data across restarts (append-only file). The lab wants this; tests do not. */
  persistent?: boolean;
  /**
   * Its users, from an ACL file (`--aclfile`): read at every start, so a restarted Redis has them
   * all. The lab's file turns the default user off; unset, anyone may do anything (test servers).
   */
  aclFile?: string;
}

export interface RedisServer {
  readonly port: number;
  readonly url: string;
  readonly process: ManagedProcess;
  stop(): Promise<void>;
}

/** How to run the server: shared by startRedis and the lab supervisor, which restarts it. */
export function prepareRedis(options: RedisOptions): { command: string; args: string[] } {
  const bin = which('redis-server', ['/usr/bin', '/usr/local/bin']);
  if (!bin) throw new Error('redis-server not found: install it (apt-get install redis-server)');
  mkdirSync(options.dataDir, { recursive: true });
  const args = [
    '--port',
    String(options.port),
    '--bind',
    '127.0.0.1',
    '--dir',
    options.dataDir,
    '--daemonize',
    'no',
    '--save',
    '',
    '--appendonly',
    options.persistent ? 'yes' : 'no',
    // BullMQ needs every key kept: never evict queue data under memory pressure.
    '--maxmemory-policy',
    'noeviction',
    ...(options.aclFile ? ['--aclfile', options.aclFile] : []),
  ];
  return { command: bin, args };
}

export async function startRedis(options: RedisOptions): Promise<RedisServer> {
  const proc = startManagedProcess({ name: 'redis', ...prepareRedis(options), logFile: options.logFile });
  const url = `redis://127.0.0.1:${options.port}`;
  await Promise.race([
    waitFor(
      `redis on port ${options.port}`,
      async () => {
        const client = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
        // A refused connection while Redis boots is expected. With an ACL file whose default user
        // is off, the server answering NOAUTH to the connection's first command is up.
        let refusedAuth = false;
        client.on('error', (err: Error) => {
          if (err.message.startsWith('NOAUTH')) refusedAuth = true;
        });
        try {
          await client.connect();
          return (await client.ping()) === 'PONG';
        } catch (err) {
          if (refusedAuth) return true;
          throw err;
        } finally {
          client.disconnect();
        }
      },
      { timeoutMs: 15_000 },
    ),
    proc.exited.then(({ code }) => {
      throw new Error(`redis exited with code ${code} while starting; see ${options.logFile}`);
    }),
  ]);
  return { port: options.port, url, process: proc, stop: () => proc.stop() };
}
