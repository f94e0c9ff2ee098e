import { describe, expect, it } from 'vitest';
import { PaymentsAttemptError, classifyFailure, isRetryableStatus } from './payments-client.ts';

describe('payments retry classification', () => {
  it.each([500, 502, 503, 504, 409])('when payments answers %i, then the attempt is retried', (status) => {
    expect(isRetryableStatus(status)).toBe(true);
  });

  it.each([400, 402, 404, 422])('when payments answers %i, then the answer is final', (status) => {
    expect(isRetryableStatus(status)).toBe(false);
  });

  it('when the attempt times out, then it is a retryable timeout', () => {
    const failure = classifyFailure(new DOMException('The operation was aborted due to timeout', 'TimeoutError'));
    expect(failure).toBeInstanceOf(PaymentsAttemptError);
    expect(failure).toMatchObject({ outcome: 'timeout', retryable: true });
  });

  it('when the connection is refused, then it is a retryable network error', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:7402'), { code: 'ECONNREFUSED' });
    expect(classifyFailure(refused)).toMatchObject({ outcome: 'network_error', retryable: true });
  });
});
