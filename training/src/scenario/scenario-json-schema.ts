import { z } from 'zod';
import { scenarioSchema } from './scenario-schema.ts';

/**
 * The scenario schema as JSON Schema, for editors (each scenario.yaml points at it with a
 * `yaml-language-server` comment). It describes what a file may contain, so the input side of
 * every transform: durations as text, levers as strings. Checks that need other files (alert
 * names, the on-call pool) are the loader's.
 */
export function scenarioJsonSchema(): string {
  const schema = z.toJSONSchema(scenarioSchema, { io: 'input', target: 'draft-2020-12', unrepresentable: 'any' });
  return `${JSON.stringify({ ...schema, title: 'Firedrill scenario', description: 'scenarios/<id>/scenario.yaml; see docs in scenarios/README.md' }, null, 2)}\n`;
}
