// Writes scenarios/scenario.schema.json from the zod schema (scenario-schema.ts).
// Usage: node training/src/scenario/generate-scenario-schema.ts [--check]   (--check: exit 1 if out of date)
import { syncGeneratedFiles } from '@firedrill/lab-infra';
import { repoRoot } from './load-scenario.ts';
import { scenarioJsonSchema } from './scenario-json-schema.ts';

export const scenarioSchemaFile = 'scenarios/scenario.schema.json';

export function generateScenarioSchemaFiles(): { file: string; content: string }[] {
  return [{ file: scenarioSchemaFile, content: scenarioJsonSchema() }];
}

function main(args: string[]): number {
  return syncGeneratedFiles(repoRoot, generateScenarioSchemaFiles(), {
    check: args.includes('--check'),
    what: 'the scenario JSON Schema is',
    regenerate: 'npm run scenario:schema',
  });
}

if (import.meta.main) process.exitCode = main(process.argv.slice(2));
