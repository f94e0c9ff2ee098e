import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runSchemathesis } from '@firedrill/lab-infra';
import { startTestPayments, type TestPayments } from './helpers/payments-fixture.ts';

describe('payments OpenAPI, fuzzed by schemathesis', () => {
  let payments: TestPayments;
  beforeAll(async () => {
    payments = await startTestPayments();
  });
  afterAll(() => payments?.close());

  it('when every documented operation gets generated valid and invalid requests, then no 5xx and every answer is as documented', async () => {
    const { exitCode, output } = await runSchemathesis(`${payments.url}/payments/openapi.json`);
    if (exitCode !== 0) console.error(output);
    expect(exitCode).toBe(0);
  }, 120_000);
});
