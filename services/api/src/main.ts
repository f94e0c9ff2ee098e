import { runService } from '@firedrill/kit';
import { loadApiConfig } from './config.ts';
import { startApi } from './start.ts';

await runService({
  name: 'api',
  loadConfig: loadApiConfig,
  start: startApi,
});
