import { runService } from '@firedrill/kit';
import { loadPaymentsConfig } from './config.ts';
import { startPayments } from './start.ts';

await runService({
  name: 'payments',
  loadConfig: loadPaymentsConfig,
  start: startPayments,
});
