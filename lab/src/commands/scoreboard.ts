import { reportsApi, type Scoreboard } from '@firedrill/training';
import { exitCodes, type Command } from '../cli/command.ts';
import { result } from '../cli/output.ts';
import { runningLab } from '../cli/running-lab.ts';
import { readingClient } from '../cli/training-client.ts';

/** `lab scoreboard`: the class's teams and their runs' scores, best team first. */
export const scoreboardCommand: Command = {
  name: 'scoreboard',
  summary: "the class's scoreboard: each team's runs with their scores (trainees: once debriefed)",
  usage: 'lab scoreboard [--json]',
  options: { json: { type: 'boolean' } },
  async run({ values, config }) {
    const lab = runningLab(config);
    if (!lab) return exitCodes.notRunning;
    const board = await reportsApi(readingClient(lab, config)).scoreboard();
    result(values.json ? JSON.stringify(board, null, 2) : scoreboardTable(board));
    return exitCodes.ok;
  },
};

export function scoreboardTable(board: Scoreboard): string {
  if (board.teams.length === 0) return 'no run yet';
  const lines = [`${'TEAM'.padEnd(14)}${'BEST'.padEnd(7)}${'RUN'.padEnd(18)}${'SCENARIO'.padEnd(26)}${'STATE'.padEnd(11)}SCORE`];
  for (const team of board.teams)
    for (const [i, run] of team.runs.entries())
      lines.push(
        `${(i === 0 ? (team.team ?? '(no team)') : '').padEnd(14)}${(i === 0 ? String(team.best ?? '-') : '').padEnd(7)}${run.runId.padEnd(18)}${(run.scenario ?? '(blind)').padEnd(26)}${run.state.padEnd(11)}${run.score ?? `- (${run.pending})`}`,
      );
  return lines.join('\n');
}
