import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { postgresBinDir } from '@firedrill/lab-infra';
import { labDatabases } from '../../src/topology/lab-addresses.ts';
import { uniqueName } from '@firedrill/lab-infra/testing';
import { loadCompose, repoRoot } from './compose-file.ts';
import { mountsOf } from './compose-resources.ts';

/**
 * compose/create-databases.sql, which compose's postgres-init runs with psql at every start,
 * run the same way against the real test Postgres. The databases get names of this test's own
 * so the shared server's other tests are untouched.
 */
const names = Object.fromEntries(labDatabases.map((name) => [name, uniqueName(`compose_${name}`)]));
const dir = mkdtempSync(path.join(os.tmpdir(), 'create-databases-'));
const adminUrl = inject('postgresUrl');

afterAll(async () => {
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  for (const name of Object.values(names)) await admin.query(`DROP DATABASE IF EXISTS ${name}`);
  await admin.end();
  rmSync(dir, { recursive: true, force: true });
});

function runScript(): void {
  let sql = readFileSync(path.join(repoRoot, 'compose/create-databases.sql'), 'utf8');
  for (const [name, own] of Object.entries(names)) sql = sql.replaceAll(`DATABASE ${name}'`, `DATABASE ${own}'`).replaceAll(`= '${name}'`, `= '${own}'`);
  const file = path.join(dir, 'create-databases.sql');
  writeFileSync(file, sql);
  // The same flags as the postgres-init service in docker-compose.yml.
  execFileSync(path.join(postgresBinDir()!, 'psql'), ['-d', adminUrl, '-v', 'ON_ERROR_STOP=1', '-f', file], { stdio: 'pipe' });
}

async function existing(): Promise<string[]> {
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    const result = await admin.query<{ datname: string }>('SELECT datname FROM pg_database WHERE datname = ANY($1) ORDER BY datname', [Object.values(names)]);
    return result.rows.map((row) => row.datname);
  } finally {
    await admin.end();
  }
}

describe('compose/create-databases.sql', () => {
  it('when run on a server without them, then every database of the native lab exists, and running it again changes nothing', async () => {
    expect(await existing()).toEqual([]);
    runScript();
    expect(await existing()).toEqual(Object.values(names).sort());
    expect(() => runScript()).not.toThrow();
    expect(await existing()).toEqual(Object.values(names).sort());
  });

  it('when compose runs it, then postgres-init mounts this file and runs psql with the same flags', () => {
    const service = loadCompose().services['postgres-init']!;
    expect(mountsOf(service)).toContainEqual({ type: 'bind', source: './compose/create-databases.sql', target: '/init/create-databases.sql', readOnly: true });
    expect(service.command).toEqual(expect.arrayContaining(['psql', '-v', 'ON_ERROR_STOP=1', '-f', '/init/create-databases.sql']));
  });
});
