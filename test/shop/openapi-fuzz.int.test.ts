import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runSchemathesis } from '@firedrill/lab-infra';
import { Shop } from './helpers/shop.ts';

describe('api OpenAPI, fuzzed by schemathesis', () => {
  let shop: Shop;
  beforeAll(async () => {
    shop = await Shop.start();
  });
  afterAll(() => shop?.close());

  it('when every documented operation gets generated valid and invalid requests, then no 5xx and every answer is as documented', async () => {
    const { exitCode, output } = await runSchemathesis(`${shop.api.url}/api/openapi.json`);
    if (exitCode !== 0) console.error(output);
    expect(exitCode).toBe(0);
  }, 120_000);
});
