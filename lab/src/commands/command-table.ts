import type { Command } from '../cli/command.ts';
import { alertsCommand } from './alerts.ts';
import { chaosCommand } from './chaos.ts';
import { downCommand } from './down.ts';
import { flagsCommand } from './flags.ts';
import { helpCommand } from './help.ts';
import { leverCommand } from './lever.ts';
import { logsCommand } from './logs.ts';
import { queueCommand } from './queue.ts';
import { quizCommand } from './quiz.ts';
import { deployCommand, releasesCommand, rollbackCommand } from './releases.ts';
import { resetCommand } from './reset.ts';
import { restartCommand } from './restart.ts';
import { runbookCommand } from './runbook.ts';
import { scenarioCommand } from './scenario.ts';
import { scaleCommand } from './scale.ts';
import { setupCommand } from './setup.ts';
import { statusCommand } from './status.ts';
import { superviseCommand } from './supervise.ts';
import { upCommand } from './up.ts';

/**
 * Every `lab <command>`, in the order `lab help` lists them. A module of its own (main.ts runs
 * the CLI when imported) so that tests can check what the docs say against it.
 */
export const labCommands: readonly Command[] = [
  setupCommand,
  upCommand,
  statusCommand,
  logsCommand,
  restartCommand,
  resetCommand,
  queueCommand,
  releasesCommand,
  deployCommand,
  rollbackCommand,
  flagsCommand,
  scaleCommand,
  leverCommand,
  chaosCommand,
  alertsCommand,
  scenarioCommand,
  runbookCommand,
  quizCommand,
  downCommand,
  superviseCommand,
  helpCommand(() => [...labCommands]),
];
