import { createLogUpdate } from 'log-update';
import { eventLine } from './event-line.ts';
import { detachedLines, outcomeLine } from './run-outcome.ts';
import { renderScreen, type ScreenModel } from './run-screen.ts';
import type { Run, RunEvent, RunStatus } from '@firedrill/training';
import { paint } from './terminal-colour.ts';

/**
 * Where a watched run goes: a live screen on a terminal, plain lines into a pipe, JSON lines for
 * machines. The watcher (run-watcher.ts) feeds one of these; none of them decides anything.
 */
export interface RunView {
  start(run: Run): void;
  event(event: RunEvent): void;
  status(status: RunStatus): void;
  /** The bot trainee's log, when --bot runs one. */
  bot(line: string): void;
  /** A passing problem (undefined clears it): the training process not answering, say. */
  notice(text: string | undefined): void;
  finish(run: Run): void;
  detach(runId: string): void;
}

export interface Output {
  write(text: string): unknown;
}

/** What a run shows before it starts: its name, seed and speed, and the briefing (none when blind). */
function header(run: Run, colour: boolean): string {
  const name = run.scenario || run.title ? [run.title, run.scenario && `(${run.scenario})`].filter(Boolean).join(' ') : 'a blind run';
  const lines = [paint('bold', `${name}: run ${run.id}, seed ${run.seed}, speed ${run.speed}x`, colour)];
  if (run.briefing) lines.push('', run.briefing.trim(), '');
  return `${lines.join('\n')}\n`;
}

/** One line per event, for a pipe or a file (and CI logs); notices and the bot go to stderr. */
export function plainView(out: Output, err: Output, colour: boolean): RunView {
  let run: Run | undefined;
  let lastNotice: string | undefined;
  return {
    start(started) {
      run = started;
      out.write(header(started, colour));
    },
    event(event) {
      if (run) out.write(`${eventLine(event, run, { colour })}\n`);
    },
    status() {
      // The events carry every change already; a line per poll would only repeat them.
    },
    bot(line) {
      err.write(`bot: ${line}\n`);
    },
    notice(text) {
      if (text && text !== lastNotice) err.write(`lab: ${text}\n`);
      lastNotice = text;
    },
    finish(ended) {
      out.write(`${outcomeLine(ended, colour)}\n`);
    },
    detach(runId) {
      err.write(`${detachedLines(runId).join('\n')}\n`);
    },
  };
}

/** `--json`: every event as it came, one per line, then `{"run": …}` as the last line. */
export function jsonView(out: Output, err: Output): RunView {
  return {
    start() {},
    event(event) {
      out.write(`${JSON.stringify(event)}\n`);
    },
    status() {},
    bot(line) {
      err.write(`bot: ${line}\n`);
    },
    notice(text) {
      if (text) err.write(`lab: ${text}\n`);
    },
    finish(run) {
      out.write(`${JSON.stringify({ run })}\n`);
    },
    detach(runId) {
      err.write(`${detachedLines(runId).join('\n')}\n`);
    },
  };
}

/** A terminal: the stream log-update redraws on. */
export interface Terminal extends NodeJS.WritableStream {
  columns?: number;
  rows?: number;
  on(event: 'resize', listener: () => void): this;
  off(event: 'resize', listener: () => void): this;
  write(text: string): boolean;
}

/**
 * Some pseudo-terminals (script(1), a few CI runners) report 0 columns and 0 rows, and log-update
 * then draws nothing at all: such a terminal is taken to be 80×24.
 */
function sized(terminal: Terminal): Terminal {
  return new Proxy(terminal, {
    get(target, property, receiver) {
      if (property === 'columns') return target.columns || 80;
      if (property === 'rows') return target.rows || 24;
      const value = Reflect.get(target, property, receiver);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

/** The live screen, redrawn in place by log-update on every event, status and resize. */
export function screenView(terminal: Terminal, err: Output, colour: boolean): RunView {
  const redraw = createLogUpdate(sized(terminal));
  const model: Partial<ScreenModel> & { events: RunEvent[] } = { events: [], status: undefined };
  // A burst of events draws once: redraws are coalesced to the next turn of the event loop.
  let pending: NodeJS.Immediate | undefined;
  const draw = () => {
    pending = undefined;
    if (!model.run) return;
    // One column spare: a line exactly as wide as the terminal wraps on some of them.
    redraw(renderScreen(model as ScreenModel, { width: (terminal.columns || 80) - 1, colour }));
  };
  const schedule = () => {
    pending ??= setImmediate(draw);
  };
  const settle = () => {
    if (pending) clearImmediate(pending);
    draw();
    redraw.done();
    terminal.off('resize', schedule);
  };
  terminal.on('resize', schedule);
  return {
    start(run) {
      terminal.write(header(run, colour));
      model.run = run;
      schedule();
    },
    event(event) {
      model.events.push(event);
      if (model.events.length > 50) model.events.shift();
      schedule();
    },
    status(status) {
      model.status = status;
      schedule();
    },
    bot(line) {
      model.bot = line;
      schedule();
    },
    notice(text) {
      if (text === undefined) delete model.notice;
      else model.notice = text;
      schedule();
    },
    finish(run) {
      model.run = run;
      // The last status was polled while the run went on; the frame that stays shows how it ended.
      if (model.status) {
        const end = Date.parse(run.endedAt ?? new Date().toISOString());
        model.status = {
          ...model.status,
          state: run.state,
          phase: run.state,
          elapsedMs: end - Date.parse(run.createdAt),
          liveForMs: run.liveAt ? end - Date.parse(run.liveAt) : null,
        };
      }
      settle();
      terminal.write(`${outcomeLine(run, colour)}\n`);
    },
    detach(runId) {
      settle();
      // A new line: the terminal has just echoed ^C after the screen.
      err.write(`\n${detachedLines(runId).join('\n')}\n`);
    },
  };
}
