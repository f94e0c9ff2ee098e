// Writes docs/runbooks/runbook.schema.json from the zod schema (runbook-schema.ts).
// Usage: node training/src/runbooks/generate-runbook-schema.ts [--check]   (--check: exit 1 if out of date)
import { z } from 'zod';
import { syncGeneratedFiles } from '@firedrill/lab-infra';
import { repoRoot } from '../scenario/load-scenario.ts';
import { runbookSchema } from './runbook-schema.ts';

export const runbookSchemaFile = 'docs/runbooks/runbook.schema.json';

/**
 * The runbook schema as JSON Schema, for editors (each *.runbook.yaml points at it with a
 * `yaml-language-server` comment): the input side, durations and levers as text. Levers are
 * parsed, and placeholders checked, by the loader.
 */
export function runbookJsonSchema(): string {
  const schema = z.toJSONSchema(runbookSchema, { io: 'input', target: 'draft-2020-12', unrepresentable: 'any' });
  return `${JSON.stringify({ ...schema, title: 'Firedrill executable runbook', description: 'docs/runbooks/<name>.runbook.yaml; see docs/runbooks/README.md' }, null, 2)}\n`;
}

export function generateRunbookSchemaFiles(): { file: string; content: string }[] {
  return [{ file: runbookSchemaFile, content: runbookJsonSchema() }];
}

function main(args: string[]): number {
  return syncGeneratedFiles(repoRoot, generateRunbookSchemaFiles(), {
    check: args.includes('--check'),
    what: 'the runbook JSON Schema is',
    regenerate: 'npm run runbook:schema',
  });
}

if (import.meta.main) process.exitCode = main(process.argv.slice(2));
