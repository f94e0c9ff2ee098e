import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { inject } from 'vitest';

/** A short random suffix for names a test owns (databases, queue prefixes, files). */
export function uniqueName(prefix: string): string {
  return `${prefix}_${randomBytes(5).toString('hex')}`;
}

/** Creates an empty database of the test's own on the shared test Postgres; returns its URL. */
export async function createTestDatabase(prefix = 't'): Promise<string> {
  const name = uniqueName(prefix);
  const admin = new pg.Client({ connectionString: inject('postgresUrl') });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  return inject('postgresUrl').replace(/\/[^/]*$/, `/${name}`);
}

export function testRedisUrl(): string {
  return inject('redisUrl');
}

/** A BullMQ key prefix of the test's own, so queues never collide between test files. */
export function testQueuePrefix(): string {
  return uniqueName('fdtest');
}
