import { runService } from '@firedrill/kit';
import { loadConsoleConfig } from './config.ts';
import { startConsole } from './start.ts';

await runService({
  name: 'console',
  loadConfig: loadConsoleConfig,
  start: startConsole,
});
