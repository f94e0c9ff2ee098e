import path from 'node:path';
import { readToken } from '@firedrill/kit';
import { loadScenario } from '@firedrill/training';
import { chaosTokenFiles } from '../chaos/chaos-tokens.ts';
import { exitCodes, LabRefusal, UsageError, type Command } from '../cli/command.ts';
import { progress, result } from '../cli/output.ts';
import { runningLab, type RunningLab } from '../cli/running-lab.ts';
import { TrainingApiError, trainingClient } from '../cli/training-client.ts';
import type { LabConfig } from '../config/lab-config.ts';
import { operatorTokenFile } from '../topology/training-tokens.ts';
import { labPrometheusCredentials } from '../prometheus/lab-prometheus.ts';
import { botSession, labUrlsOf, loadBot, type RunBot } from '../runs/bot-trainee.ts';
import { detachedExitCode, exitCodeFor } from '../runs/run-outcome.ts';
import { jsonView, plainView, screenView, type RunView } from '../runs/run-views.ts';
import { watchRun } from '../runs/run-watcher.ts';
import { isFinished, runsApi, type ParTimes, type Run, type RunStatus, type RunsApi, type StartRun } from '@firedrill/training';
import { scenarioDetails, scenarioTable } from '../runs/scenario-text.ts';
import { colourEnabled } from '../runs/terminal-colour.ts';

const usage = `lab scenario <action> …

  list                      the scenarios: id, title, curriculum, difficulty, timebox
  show <id>                 briefing, difficulty, timebox and par (the answer key only with the instructor token)
  run <id> [--seed N] [--blind] [--speed X] [--team T] [--bot]
                            start a run and watch it live; Ctrl-C detaches (the run goes on)
  watch [run id]            watch a run (by default the one in progress) until it ends
  stop [run id]             stop the run in progress (cleanup restores faults, releases, flags, load)
  pause <run id>            hold a live run's timeline: no step fires, the timebox stands still (instructor token)
  resume <run id>           let a paused run's timeline go on (instructor token)
  extend <run id> --minutes N
                            add N minutes (1..30) to a live run's timebox, 60 in all (instructor token)

  --json                    list/show/stop/pause/resume/extend: the API's answer; run/watch: every event as a JSON line, then {"run": …}
  exit codes (run, watch):  0 resolved, 1 timed out, stopped, refused or failed, 130 detached`;

/** Which options each action takes: anything else is a usage error rather than silently ignored. */
const actionOptions: Record<string, readonly string[]> = {
  list: ['json'],
  show: ['json'],
  run: ['seed', 'blind', 'speed', 'team', 'bot', 'json'],
  watch: ['json'],
  stop: ['json'],
  pause: ['json'],
  resume: ['json'],
  extend: ['minutes', 'json'],
};

/** `lab scenario …`: the lab's runs, through the training process's runs API (the lab owns each run). */
export const scenarioCommand: Command = {
  name: 'scenario',
  summary: 'list, show and run the labs (scenarios/): a run is watched live; `lab scenario stop` ends it',
  usage,
  options: {
    seed: { type: 'string' },
    speed: { type: 'string' },
    team: { type: 'string' },
    blind: { type: 'boolean' },
    bot: { type: 'boolean' },
    minutes: { type: 'string' },
    json: { type: 'boolean' },
  },
  positionals: { min: 1, max: 2 },
  async run({ values, positionals, config }) {
    const [action = '', target] = positionals;
    const allowed = actionOptions[action];
    if (!allowed) throw new UsageError(`unknown scenario action "${action}"; usage: ${usage}`);
    const stray = Object.keys(values).filter((name) => values[name] !== undefined && !allowed.includes(name));
    if (stray.length > 0) throw new UsageError(`lab scenario ${action} takes no ${stray.map((name) => `--${name}`).join(', ')}`);
    if ((action === 'show' || action === 'run') && target === undefined) throw new UsageError(`usage: lab scenario ${action} <scenario id>`);
    if (action === 'list' && target !== undefined) throw new UsageError('usage: lab scenario list');
    if (action in holdActions && target === undefined)
      throw new UsageError(`usage: lab scenario ${action} <run id>${action === 'extend' ? ' --minutes N' : ''}`);
    const start = action === 'run' ? startRequest(target!, values) : undefined;
    const minutes = action === 'extend' ? extendMinutes(values.minutes) : undefined;

    const lab = runningLab(config);
    if (!lab) return exitCodes.notRunning;
    const api = runsApi(trainingClient(lab, config));
    const json = values.json === true;
    switch (action) {
      case 'list': {
        const scenarios = await api.scenarios();
        result(json ? JSON.stringify({ scenarios }, null, 2) : scenarioTable(scenarios));
        return exitCodes.ok;
      }
      case 'show':
        return show(lab, config, target!, json);
      case 'run': {
        // Checked before the run starts: a run nobody will work is not started.
        const bot = values.bot ? await loadBot() : undefined;
        const run = await startRun(api, start!);
        if (json) progress(`lab: run ${run.id} started; Ctrl-C detaches (the run goes on)`);
        return watch(api, lab, config, run.id, json, bot);
      }
      case 'watch':
        return watch(api, lab, config, target ?? (await runInProgress(api, 'watch')).id, json);
      case 'pause':
      case 'resume':
      case 'extend':
        return holdTimeline(runsApi(trainingClient(lab, config, 'instructor')), action, target!, minutes, json);
      default:
        return stop(api, target, json);
    }
  },
};

/** What pause, resume and extend say once done. */
const holdActions: Record<string, (status: RunStatus, minutes: number | undefined) => string> = {
  pause: (status) => `run ${status.id} paused: no step fires and the timebox stands still; \`lab scenario resume ${status.id}\` goes on`,
  resume: (status) => `run ${status.id} resumed: its timeline goes on`,
  extend: (status, minutes) => `run ${status.id} extended by ${minutes} min: its timebox is ${Math.round((status.timeboxMs ?? 0) / 60_000)} min now`,
};

/** --minutes for extend: a whole number 1..30 (the training API says the same; checked here before asking). */
function extendMinutes(value: string | boolean | undefined): number {
  if (typeof value !== 'string') throw new UsageError('usage: lab scenario extend <run id> --minutes N (1..30)');
  const minutes = Number(value);
  if (!/^\d+$/.test(value) || minutes < 1 || minutes > 30) throw new UsageError(`--minutes must be a whole number from 1 to 30, not "${value}"`);
  return minutes;
}

/**
 * Pause, resume or extend with the instructor's token (the training API refuses anyone else); a
 * refusal (not live, already paused, past the 60 minutes) is the API's own words (TrainingApiError).
 */
async function holdTimeline(api: RunsApi, action: 'pause' | 'resume' | 'extend', runId: string, minutes: number | undefined, json: boolean): Promise<number> {
  const status = action === 'extend' ? await api.extend(runId, minutes!) : await api[action](runId);
  result(json ? JSON.stringify(status, null, 2) : holdActions[action]!(status, minutes));
  return exitCodes.ok;
}

/** The POST body, from the flags; bad values are usage errors before anything is asked of the lab. */
function startRequest(scenario: string, values: Record<string, string | boolean | undefined>): StartRun {
  const request: StartRun = { scenario };
  if (typeof values.seed === 'string') {
    const seed = Number(values.seed);
    if (!/^\d+$/.test(values.seed) || !Number.isSafeInteger(seed)) throw new UsageError(`--seed must be a whole number, not "${values.seed}"`);
    request.seed = seed;
  }
  if (typeof values.speed === 'string') {
    const speed = Number(values.speed);
    if (values.speed.trim() === '' || !Number.isFinite(speed) || speed < 0.1 || speed > 100)
      throw new UsageError(`--speed must be a number from 0.1 to 100, not "${values.speed}"`);
    request.speed = speed;
  }
  if (values.blind) request.blind = true;
  // The training process checks the name and that the team exists (a 4xx names what is wrong).
  if (typeof values.team === 'string') request.team = values.team;
  return request;
}

async function startRun(api: RunsApi, request: StartRun): Promise<Run> {
  try {
    return await api.start(request);
  } catch (err) {
    if (!(err instanceof TrainingApiError) || err.status !== 409) throw err;
    // One run at a time: name the one going on, and the two ways forward.
    const named = err.problem.runId ?? err.problem.id;
    const id = typeof named === 'string' ? named : (await api.runs()).find((run) => !isFinished(run.state))?.id;
    const which = id ? `run ${id}` : 'a run';
    throw new LabRefusal(`${which} is in progress: watch it with \`lab scenario watch${id ? ` ${id}` : ''}\` or end it with \`lab scenario stop\``);
  }
}

/** The run not finished yet (the lab runs one at a time), or a refusal saying there is none. */
async function runInProgress(api: RunsApi, action: string): Promise<Run> {
  const run = (await api.runs()).find((r) => !isFinished(r.state));
  if (!run) throw new LabRefusal(`no run is in progress${action === 'watch' ? '; `lab scenario watch <run id>` replays a finished one' : ''}`);
  return run;
}

async function watch(
  api: RunsApi,
  lab: RunningLab,
  config: Pick<LabConfig, 'stateDir' | 'logsDir'>,
  runId: string,
  json: boolean,
  bot?: RunBot,
): Promise<number> {
  const detach = new AbortController();
  // The listener stays until the watch is over: log-update's cursor handling (signal-exit) kills
  // the process on a signal nobody else listens to, before the detach message could be written.
  // A second Ctrl-C leaves at once, so a stuck watch can always be left.
  const onSignal = () => (detach.signal.aborted ? process.exit(detachedExitCode) : detach.abort());
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  const view = viewFor(json);
  const session = bot
    ? botSession(bot, {
        api,
        runId,
        labUrlsFor: (team) => labUrlsOf(lab, team, labPrometheusCredentials(config)),
        operatorToken: () => readToken(operatorTokenFile(config)),
        log: (line) => view.bot(line),
        logsDir: config.logsDir,
      })
    : undefined;
  try {
    const outcome = await watchRun({ api, runId, view, signal: detach.signal, ...(session && { onLive: () => session.start() }) });
    if (outcome === 'detached') {
      if (await session?.stop()) progress('lab: the bot trainee stopped with the watch');
      return detachedExitCode;
    }
    // The run ended, the bot's incident did not: it resolves, posts its resolution and submits its review.
    if (session && !(await session.finish())) progress('lab: the bot trainee did not finish its incident and review in time; stopped');
    return exitCodeFor(outcome);
  } finally {
    await session?.stop();
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

/** A terminal gets the live screen; a pipe gets plain lines; --json gets JSON lines. */
function viewFor(json: boolean): RunView {
  if (json) return jsonView(process.stdout, process.stderr);
  if (process.stdout.isTTY) return screenView(process.stdout, process.stderr, colourEnabled(process.stdout, process.env));
  return plainView(process.stdout, process.stderr, false);
}

async function stop(api: RunsApi, runId: string | undefined, json: boolean): Promise<number> {
  let id = runId;
  if (id === undefined) {
    const current = (await api.runs()).find((r) => !isFinished(r.state));
    if (!current) {
      progress('lab: no run is in progress: nothing to stop');
      return exitCodes.ok;
    }
    id = current.id;
  }
  const run = await api.stop(id);
  if (json) result(JSON.stringify(run, null, 2));
  else if (isFinished(run.state)) result(`run ${run.id} ${run.state.replace('_', ' ')}: its faults are cleared, releases, flags and load restored`);
  else result(`run ${run.id} is stopping (${run.state}); \`lab scenario watch ${run.id}\` shows it end`);
  return exitCodes.ok;
}

/** `show`: as the instructor when the instructor token is readable here (answer key included), else as an operator. */
async function show(lab: RunningLab, config: Pick<LabConfig, 'stateDir' | 'repoRoot'>, id: string, json: boolean): Promise<number> {
  const instructorFile = chaosTokenFiles(config).instructor;
  const instructor = readable(instructorFile);
  const scenario = await runsApi(trainingClient(lab, config, instructor ? 'instructor' : 'operator')).scenario(id);
  if (json) {
    result(JSON.stringify(scenario, null, 2));
    return exitCodes.ok;
  }
  const par = scenario.par ?? localPar(config, id);
  result(scenarioDetails({ ...scenario, ...(par && { par }) }, instructor ? { instructorTokenFile: instructorFile } : {}));
  return exitCodes.ok;
}

function readable(tokenFile: string): boolean {
  try {
    readToken(tokenFile);
    return true;
  } catch {
    return false;
  }
}

/**
 * Par times are no secret (trainees are graded against them), but the operator's view of a
 * scenario does not carry them: read them from the scenario file the lab runs, in this checkout.
 */
function localPar(config: Pick<LabConfig, 'repoRoot'>, id: string): ParTimes | undefined {
  try {
    const { scenario } = loadScenario(path.join(config.repoRoot, 'scenarios', id));
    return 'par' in scenario ? scenario.par : undefined;
  } catch {
    return undefined;
  }
}
