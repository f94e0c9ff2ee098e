import { describe, expect, it } from 'vitest';
import { releasedProcess } from './releases.ts';

const outcome = (shop: unknown) => ({
  lever: 'rollback api',
  summary: 'api rolled back to 2.3.0 (from 2.4.1)',
  details: { release: { service: 'api', shop } },
});

describe('lab deploy / lab rollback: which process to wait for', () => {
  it("when training answers a class's release, then the wait is for the team's process (a trainee names no team: training took its own)", () => {
    expect(releasedProcess(outcome('green'), 'api')).toBe('green-api');
    expect(releasedProcess(outcome('blue'), 'worker')).toBe('blue-worker');
  });

  it("when training answers the single lab's release (shop ''), then the wait is for the service's own process", () => {
    expect(releasedProcess(outcome(''), 'payments')).toBe('payments');
  });

  it('when the answer carries no release (an older training), then the wait is for the service as named', () => {
    expect(releasedProcess({ lever: 'rollback api', summary: '', details: {} }, 'api')).toBe('api');
  });
});
