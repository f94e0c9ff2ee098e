import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ConfigError, env, loadConfig } from './load-config.ts';

const schema = z.object({
  PORT: env.port(7400),
  VERBOSE: env.bool(false),
  RATE: env.number(0.5, 0, 1),
});

describe('loadConfig', () => {
  it('when variables are absent, then defaults apply and the result is frozen', () => {
    const config = loadConfig('svc', schema, {});
    expect(config).toEqual({ PORT: 7400, VERBOSE: false, RATE: 0.5 });
    expect(Object.isFrozen(config)).toBe(true);
  });

  it('when variables are strings, then they are coerced to their types', () => {
    expect(loadConfig('svc', schema, { PORT: '8080', VERBOSE: 'true', RATE: '0.25' })).toEqual({ PORT: 8080, VERBOSE: true, RATE: 0.25 });
  });

  it('when variables are invalid, then one error names every bad variable', () => {
    let error: unknown;
    try {
      loadConfig('svc', schema, { PORT: 'eighty', RATE: '2', VERBOSE: 'yes' });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as Error).message;
    expect(message).toMatch(/^svc: invalid configuration/);
    expect(message).toContain('PORT');
    expect(message).toContain('RATE');
    expect(message).toContain('VERBOSE');
    expect((error as ConfigError).issues).toHaveLength(3);
  });
});

describe('env.json', () => {
  const schema = z.object({ SHOPS: env.json('SHOPS', z.record(z.string(), z.object({ port: z.number() })), '{"<team>": {"port": <n>}}', {}) });

  it('reads unset or empty as the empty value, and JSON that fits the schema as it is', () => {
    expect(loadConfig('t', schema, {}).SHOPS).toEqual({});
    expect(loadConfig('t', schema, { SHOPS: '' }).SHOPS).toEqual({});
    expect(loadConfig('t', schema, { SHOPS: '{"blue":{"port":7500}}' }).SHOPS).toEqual({ blue: { port: 7500 } });
  });

  it('says what form it wants when the text is not JSON, and which path is wrong when it does not fit', () => {
    expect(() => loadConfig('t', schema, { SHOPS: '{blue' })).toThrow('SHOPS must be JSON: {"<team>": {"port": <n>}}');
    expect(() => loadConfig('t', schema, { SHOPS: '{"blue":{"port":"x"}}' })).toThrow(/SHOPS: blue\.port: /);
  });
});
