import { runService } from '@firedrill/kit';
import { loadTrainingConfig } from './server/config.ts';
import { startTraining } from './server/start.ts';

await runService({
  name: 'training',
  loadConfig: loadTrainingConfig,
  start: startTraining,
});
