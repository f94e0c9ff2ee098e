import { runService } from '@firedrill/kit';
import { loadControllerConfig } from './controller/config.ts';
import { startController } from './controller/start.ts';

await runService({
  name: 'chaos',
  loadConfig: loadControllerConfig,
  start: startController,
});
