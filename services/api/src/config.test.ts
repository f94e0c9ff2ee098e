import { describe, expect, it } from 'vitest';
import { ConfigError } from '@firedrill/kit';
import { chargeBudgetMs, loadApiConfig } from './config.ts';

describe('api configuration: reconciliation grace period', () => {
  it('when nothing is set, then the grace period outlasts a whole charge call', () => {
    const config = loadApiConfig({});
    expect(config.RECONCILE_GRACE_MS).toBe(120_000);
    expect(config.RECONCILE_GRACE_MS).toBeGreaterThan(chargeBudgetMs(config));
  });

  it('when the grace period is shorter than a charge call can last, then start-up is refused naming the variable', () => {
    // 3 attempts × 5 s + 2 backoffs of up to 2 s = 19 s.
    const load = () => loadApiConfig({ PAYMENTS_ATTEMPTS: '3', PAYMENTS_TIMEOUT_MS: '5000', RECONCILE_GRACE_MS: '15000' });
    expect(load).toThrow(ConfigError);
    expect(load).toThrow(/RECONCILE_GRACE_MS: must be longer than a whole charge call \(19000 ms/);
  });
});

describe('api configuration: version', () => {
  it('when SERVICE_VERSION is not set, then the api runs 2.3.0', () => {
    expect(loadApiConfig({}).SERVICE_VERSION).toBe('2.3.0');
  });

  it('when SERVICE_VERSION is not a version, then start-up is refused naming the variable', () => {
    expect(() => loadApiConfig({ SERVICE_VERSION: 'latest' })).toThrow(/SERVICE_VERSION: must be a version such as 2\.3\.0/);
  });
});
