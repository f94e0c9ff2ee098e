import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import type pg from 'pg';
import type { Logger } from '../logger/index.ts';
import { retry } from '../retry/index.ts';
import { isConnectionError } from './create-pool.ts';

/**
 * Applies `NNNN-name.sql` files from `dir` in order, each in its own transaction, recording them
 * in `<schema>.schema_migrations`. An advisory lock makes concurrent starts (two api replicas)
 * safe: the second waits, then finds nothing left to do.
 */
export async function runMigrations(pool: pg.Pool, options: { schema: string; dir: string }, logger: Logger): Promise<string[]> {
  const { schema, dir } = options;
  if (!/^[a-z_][a-z0-9_]*$/.test(schema)) throw new Error(`invalid schema name ${schema}`);
  const files = (await readdir(dir)).filter((f) => /^\d{4}-[\w-]+\.sql$/.test(f)).sort();
  const client = await pool.connect();
  const applied: string[] = [];
  try {
    await client.query('SELECT pg_advisory_lock(hashtext($1))', [`migrations:${schema}`]);
    await client.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
    await client.query(`CREATE TABLE IF NOT EXISTS ${schema}.schema_migrations (version text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())`);
    const done = new Set((await client.query<{ version: string }>(`SELECT version FROM ${schema}.schema_migrations`)).rows.map((r) => r.version));
    for (const file of files) {
      if (done.has(file)) continue;
      const sql = await readFile(path.join(dir, file), 'utf8');
      await client.query('BEGIN');
      try {
        await client.query(`SET LOCAL search_path TO ${schema}, public`);
        await client.query(sql);
        await client.query(`INSERT INTO ${schema}.schema_migrations (version) VALUES ($1)`, [file]);
        await client.query('COMMIT');
      } catch (err) {
        await client.query('ROLLBACK');
        throw new Error(`migration ${file} failed: ${(err as Error).message}`, { cause: err });
      }
      applied.push(file);
      logger.info({ schema, migration: file }, 'migration applied');
    }
  } finally {
    await client.query('SELECT pg_advisory_unlock(hashtext($1))', [`migrations:${schema}`]).catch(() => {});
    client.release();
  }
  return applied;
}

/**
 * Migrations at start-up, retried while the database is still coming up (a lab starting, a
 * container restarting). On final failure the pool is closed, so the caller just exits.
 */
export async function migrateAtStartup(pool: pg.Pool, options: { schema: string; dir: string }, logger: Logger): Promise<void> {
  try {
    await retry(() => runMigrations(pool, options, logger), {
      attempts: 8,
      baseDelayMs: 250,
      maxDelayMs: 4_000,
      retryable: isConnectionError,
      onRetry: (err, attempt, delayMs) => logger.warn({ err: (err as Error).message, attempt, delayMs }, 'database not reachable yet; retrying migrations'),
    });
  } catch (err) {
    await pool.end().catch(() => {});
    throw err;
  }
}
