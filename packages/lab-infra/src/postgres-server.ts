import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, chownSync } from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { postgresBinDir } from './binaries.ts';
import { requirePasswordAuth } from './postgres-auth.ts';
import { startManagedProcess, type ManagedProcess } from './managed-process.ts';
import { waitFor } from './wait-for.ts';

export interface PostgresOptions {
  dataDir: string;
  port: number;
  logFile: string;
  /** Trade durability for speed: for throwaway test clusters only. */
  ephemeral?: boolean;
  /**
   * The superuser's password: every TCP client must then send it (scram-sha-256). The native lab
   * sets it (trainees share the machine); unset, the cluster trusts loopback (throwaway test clusters).
   */
  superuserPassword?: string;
  /**
   * Connections the server takes (default 200). The native lab sizes it to its class (lab/src/topology/postgres-connections.ts);
   * shared_buffers stays 128MB whatever it is: a slot costs ~33 KiB of shared memory, a backend exists only while a client is connected.
   */
  maxConnections?: number;
}

export interface PostgresServer {
  readonly port: number;
  readonly process: ManagedProcess;
  /** URL of a database on this server, as the superuser `postgres` (with its password when it has one). */
  url(database: string): string;
  createDatabase(name: string): Promise<void>;
  stop(): Promise<void>;
}

/** Postgres refuses to run as root, so when we are root the cluster belongs to `postgres`. */
function postgresUser(): { uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  try {
    return {
      uid: Number(execFileSync('id', ['-u', 'postgres']).toString().trim()),
      gid: Number(execFileSync('id', ['-g', 'postgres']).toString().trim()),
    };
  } catch {
    throw new Error('running as root, but there is no `postgres` user to own the cluster: install postgresql');
  }
}

/** initdb on first use: loopback-only, trust auth (preparePostgres then requires a password when given one), UTF-8. Idempotent. */
export function initPostgresCluster(dataDir: string): void {
  if (existsSync(path.join(dataDir, 'PG_VERSION'))) return;
  const bin = postgresBinDir();
  if (!bin) throw new Error('Postgres server binaries not found: install postgresql (apt-get install postgresql)');
  // Parents stay traversable (0755) for the postgres user; the data dir itself must be 0700.
  mkdirSync(path.dirname(dataDir), { recursive: true });
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const runAs = postgresUser();
  if (runAs) chownSync(dataDir, runAs.uid, runAs.gid);
  const args = ['-D', dataDir, '-U', 'postgres', '--auth=trust', '--encoding=UTF8', '--locale=C.UTF-8', '--no-sync'];
  try {
    execFileSync(path.join(bin, 'initdb'), args, { stdio: 'pipe', cwd: dataDir, ...runAs });
  } catch (err) {
    const stderr = (err as { stderr?: Buffer }).stderr?.toString().trim();
    throw new Error(`initdb failed for ${dataDir}: ${stderr || (err as Error).message}`);
  }
}

/** How to run the server: shared by startPostgres and the lab supervisor, which restarts it. */
export interface PostgresLaunch {
  command: string;
  args: string[];
  cwd: string;
  stopSignal: NodeJS.Signals;
  runAs?: { uid: number; gid: number };
}

/** initdb if needed (and the password, when there is one), then the postgres command line for this data dir and port. */
export function preparePostgres(options: PostgresOptions): PostgresLaunch {
  initPostgresCluster(options.dataDir);
  const bin = postgresBinDir()!;
  const runAs = postgresUser();
  if (options.superuserPassword !== undefined) requirePasswordAuth(options.dataDir, options.superuserPassword, runAs);
  const settings: Record<string, string> = {
    listen_addresses: '127.0.0.1',
    unix_socket_directories: '', // TCP only: no socket files to collide with a system cluster
    max_connections: String(options.maxConnections ?? 200),
    shared_buffers: '128MB',
    ...(options.ephemeral && { fsync: 'off', synchronous_commit: 'off', full_page_writes: 'off' }),
  };
  const args = ['-D', options.dataDir, '-p', String(options.port), ...Object.entries(settings).flatMap(([k, v]) => ['-c', `${k}=${v}`])];
  return { command: path.join(bin, 'postgres'), args, cwd: options.dataDir, stopSignal: 'SIGINT', ...(runAs && { runAs }) };
}

export async function startPostgres(options: PostgresOptions): Promise<PostgresServer> {
  const launch = preparePostgres(options);
  const proc = startManagedProcess({ name: 'postgres', ...launch, logFile: options.logFile });
  const credentials = options.superuserPassword === undefined ? 'postgres' : `postgres:${encodeURIComponent(options.superuserPassword)}`;
  const url = (database: string) => `postgres://${credentials}@127.0.0.1:${options.port}/${database}`;
  const query = async (sql: string) => {
    const client = new pg.Client({ connectionString: url('postgres'), connectionTimeoutMillis: 1_000 });
    await client.connect();
    try {
      return await client.query(sql);
    } finally {
      await client.end();
    }
  };
  await Promise.race([
    waitFor(`postgres on port ${options.port}`, async () => (await query('SELECT 1')).rowCount === 1, { timeoutMs: 30_000 }),
    proc.exited.then(({ code }) => {
      throw new Error(`postgres exited with code ${code} while starting; see ${options.logFile}`);
    }),
  ]);
  return {
    port: options.port,
    process: proc,
    url,
    async createDatabase(name) {
      if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`invalid database name ${name}`);
      const exists = await query(`SELECT 1 FROM pg_database WHERE datname = '${name}'`);
      if (exists.rowCount === 0) await query(`CREATE DATABASE ${name}`);
    },
    stop: () => proc.stop(),
  };
}
