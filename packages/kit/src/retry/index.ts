export { retry, type RetryOptions } from './retry.ts';
