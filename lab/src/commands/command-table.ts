import type { Command } from '../cli/command.ts';
import { alertsCommand } from './alerts.ts';
import { chaosCommand } from './chaos.ts';
import { debriefCommand } from './debrief.ts';
import { downCommand } from './down.ts';
import { flagsCommand } from './flags.ts';
import { helpCommand } from './help.ts';
import { hintCommand } from './hint.ts';
import { incidentCommand } from './incident.ts';
import { leverCommand } from './lever.ts';
import { pirCommand } from './pir.ts';
import { logsCommand } from './logs.ts';
import { queueCommand } from './queue.ts';
import { quizCommand } from './quiz.ts';
import { deployCommand, releasesCommand, rollbackCommand } from './releases.ts';
import { reportCommand } from './report.ts';
import { resetCommand } from './reset.ts';
import { restartCommand } from './restart.ts';
import { runbookCommand } from './runbook.ts';
import { scenarioCommand } from './scenario.ts';
import { scaleCommand } from './scale.ts';
import { scoreboardCommand } from './scoreboard.ts';
import { setupCommand } from './setup.ts';
import { statusCommand } from './status.ts';
import { superviseCommand } from './supervise.ts';
import { teamsCommand } from './teams.ts';
import { traineesCommand } from './trainees.ts';
import { upCommand } from './up.ts';
import { whoamiCommand } from './whoami.ts';

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
  teamsCommand,
  traineesCommand,
  whoamiCommand,
  incidentCommand,
  hintCommand,
  reportCommand,
  scoreboardCommand,
  debriefCommand,
  pirCommand,
  runbookCommand,
  quizCommand,
  downCommand,
  superviseCommand,
  helpCommand(() => [...labCommands]),
];
