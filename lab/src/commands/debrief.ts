import { reportsApi, runsApi } from '@firedrill/training';
import { exitCodes, type Command } from '../cli/command.ts';
import { result } from '../cli/output.ts';
import { runningLab } from '../cli/running-lab.ts';
import { trainingClient } from '../cli/training-client.ts';
import { runOrLatest } from '../runs/run-choice.ts';

/** `lab debrief`: the instructor opens a finished run to its trainees (grade, answer key, instructor-only events). */
export const debriefCommand: Command = {
  name: 'debrief',
  summary: 'hold the debrief of a run (instructor): its trainees then see the whole report',
  usage: 'lab debrief [run id]   (by default the latest run; it must have ended)',
  options: { json: { type: 'boolean' } },
  positionals: { min: 0, max: 1 },
  async run({ values, positionals, config }) {
    const lab = runningLab(config);
    if (!lab) return exitCodes.notRunning;
    const client = trainingClient(lab, config, 'instructor');
    const runId = await runOrLatest(runsApi(client), positionals[0]);
    const run = await reportsApi(client).debrief(runId);
    result(
      values.json ? JSON.stringify(run, null, 2) : `run ${run.id} debriefed at ${run.debriefedAt}: \`lab report ${run.id}\` now shows its trainees everything`,
    );
    return exitCodes.ok;
  },
};
