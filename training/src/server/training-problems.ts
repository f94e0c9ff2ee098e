import { defineProblems, HttpProblem, problems } from '@firedrill/kit';
import { JobLockedError } from '@firedrill/queue-contract';
import { SupervisorError } from '../releases/supervisor-client.ts';

/** The training process's own problem types, beside the kit's generic ones. */
export const trainingProblems = defineProblems({
  unknown_flag: { status: 404, title: 'No such flag' },
  already_running: { status: 409, title: 'The service already runs this version' },
  nothing_to_roll_back: { status: 409, title: 'Nothing was deployed over the baseline version' },
  job_not_found: { status: 404, title: 'No such job in the fulfilment queue' },
  job_locked: { status: 409, title: 'A worker still holds the job' },
  lever_unavailable: { status: 503, title: 'This lever needs a part of the lab that is not running here' },
  supervisor_refused: { status: 502, title: 'The lab supervisor refused the change' },
  unknown_scenario: { status: 404, title: 'No such scenario' },
  scenario_invalid: { status: 422, title: 'The scenario file is invalid' },
  run_in_progress: { status: 409, title: 'A run has not finished' },
  unknown_team: { status: 422, title: 'No such team' },
  other_team: { status: 403, title: "This run is another team's" },
  no_run_live: { status: 409, title: 'No run is in progress: incidents and hints belong to a run' },
  no_run_yet: { status: 404, title: 'The team has had no run yet' },
  incident_not_declared: { status: 409, title: 'No incident is declared yet' },
  incident_already_declared: { status: 409, title: 'An incident was already declared in this run' },
  incident_conflict: { status: 409, title: 'The incident is past that point' },
  hint_not_yet: { status: 409, title: 'The next hint is not available yet' },
  no_hints_left: { status: 409, title: 'Every hint of the scenario was taken' },
  run_not_finished: { status: 409, title: 'The run has not finished yet' },
  run_not_ended: { status: 409, title: 'The run has not ended yet' },
  run_not_live: { status: 409, title: 'The run is not live (warming up or ended): only a live run can be paused, resumed or extended' },
  run_already_paused: { status: 409, title: 'The run is already paused' },
  run_not_paused: { status: 409, title: 'The run is not paused' },
  run_pause_cap: { status: 409, title: 'The run has used all the pause it may have' },
  run_extension_cap: { status: 409, title: 'The run cannot be extended that much' },
  shell_rate_limited: { status: 429, title: 'Too many shell command lines at once' },
});

/** Errors of the parts training drives, as HTTP answers. */
export function mapTrainingError(err: unknown): HttpProblem | undefined {
  if (err instanceof SupervisorError) {
    if (err.status === 0) return new HttpProblem(problems.dependency_unavailable, err.message, { cause: err });
    return new HttpProblem(trainingProblems.supervisor_refused, err.message, { cause: err });
  }
  if (err instanceof JobLockedError) return new HttpProblem(trainingProblems.job_locked, err.message, { cause: err });
  return undefined;
}
