import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { apiConfigSchema } from '@firedrill/api';
import { paymentsConfigSchema } from '@firedrill/payments';
import { workerConfigSchema } from '@firedrill/worker';

const readme = readFileSync(path.join(import.meta.dirname, '..', 'README.md'), 'utf8');

/** Rows of the README's configuration table: variable → the services it names. */
function documentedVariables(): Map<string, string> {
  const section = readme.split('## Configuration')[1]?.split('\n## ')[0] ?? '';
  const rows = new Map<string, string>();
  for (const line of section.split('\n')) {
    const match = /^\| `([A-Z_*]+)` \| ([^|]+) \|/.exec(line);
    if (match) rows.set(match[1]!, match[2]!);
  }
  return rows;
}

describe('README', () => {
  it('when a service reads a variable, then the configuration table documents it for that service', () => {
    const documented = documentedVariables();
    const services = { api: apiConfigSchema, payments: paymentsConfigSchema, worker: workerConfigSchema };
    const missing: string[] = [];
    for (const [service, schema] of Object.entries(services)) {
      for (const name of Object.keys(schema.shape)) {
        if (!documented.get(name)?.includes(service)) missing.push(`${service}: ${name}`);
      }
    }
    expect(missing).toEqual([]);
  });

  it('when someone opens the front door, then it shows the two commands', () => {
    expect(readme).toContain('npm start');
    expect(readme).toContain('npm test');
  });
});
