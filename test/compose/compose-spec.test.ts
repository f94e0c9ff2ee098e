import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import draft07MetaSchema from 'ajv/dist/refs/json-schema-draft-07.json' with { type: 'json' };
import { beforeAll, describe, expect, it } from 'vitest';
import { copyOf, loadCompose, readComposeText, repoRoot } from './compose-file.ts';

// ajv-formats is CommonJS: under Node's ESM interop the plugin function is its `default`.
const addFormats = addFormatsModule.default;

/**
 * The Compose Specification's own JSON schema (vendored: see its $comment), compiled in ajv's
 * strict mode with allowances for how that schema is written, none of which changes which
 * documents pass: it names the draft-07 meta-schema by its https address, and it uses union
 * types (`"type": ["string", "number"]`). Its `gpus` list also carries object keywords beside
 * `"type": "array"` (no-ops); strictTypes reports those as warnings, collected here so a test
 * can insist they are the only ones. Unknown keywords and formats still fail the compile.
 */
function compileComposeSchema(): { validate: ValidateFunction; typeWarnings: string[] } {
  const schema = JSON.parse(readFileSync(path.join(repoRoot, 'test/compose/compose-spec.schema.json'), 'utf8'));
  const typeWarnings: string[] = [];
  const logger = { log: () => {}, warn: (message: string) => void typeWarnings.push(message), error: console.error };
  const ajv = new Ajv({ strict: true, strictTypes: 'log', allowUnionTypes: true, allErrors: true, logger });
  addFormats(ajv);
  // The same meta-schema under the address this schema names, so ajv validates the schema itself too.
  ajv.addMetaSchema({ ...draft07MetaSchema, $id: 'https://json-schema.org/draft-07/schema' });
  return { validate: ajv.compile(schema), typeWarnings };
}

describe('docker-compose.yml against the Compose Specification', () => {
  let validate: ValidateFunction;
  let typeWarnings: string[];
  beforeAll(() => {
    ({ validate, typeWarnings } = compileComposeSchema());
  });

  const errorsOf = (doc: unknown) => (validate(doc) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message}`));

  it('when the file is validated against the schema, then it conforms', () => {
    expect(errorsOf(loadCompose())).toEqual([]);
  });

  it('when the schema is compiled strictly, then its only findings are the known no-op keywords of gpus', () => {
    expect(typeWarnings).toHaveLength(2);
    for (const warning of typeWarnings) {
      expect(warning).toMatch(/missing type "object" for keyword "(additionalProperties|patternProperties)"/);
    }
  });

  it('when the file is read, then it has no obsolete top-level version key', () => {
    expect(Object.keys(loadCompose())).not.toContain('version');
    expect(readComposeText()).not.toMatch(/^version\s*:/m);
  });

  it('when a service carries a misspelled key, then validation rejects it', () => {
    const broken = copyOf(loadCompose());
    (broken.services.api as Record<string, unknown>).mem_limits = '384m';
    expect(errorsOf(broken).join('\n')).toContain('/services/api must NOT have additional properties');
  });

  it('when a depends_on entry has an unknown condition, then validation rejects it', () => {
    const broken = copyOf(loadCompose());
    broken.services.worker!.depends_on = { api: { condition: 'service_ready' } };
    expect(errorsOf(broken).some((e) => e.startsWith('/services/worker/depends_on'))).toBe(true);
  });
});
