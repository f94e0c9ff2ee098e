import { clock, eventLine, fit, sinceStart } from './event-line.ts';
import { isFinished, type Run, type RunEvent, type RunStatus } from '@firedrill/training';
import { type Colour, paint } from './terminal-colour.ts';

/**
 * The live screen of a run on a terminal, like k6's progress or `kubectl get -w`: one compact
 * block redrawn in place. Pure (model in, text out), so every state is tested with hand-built
 * inputs; run-views.ts does the redrawing.
 */
export interface ScreenModel {
  run: Run;
  /** The latest /status answer; undefined until the first one arrives. */
  status: RunStatus | undefined;
  /** The newest events, oldest first; the screen shows the last few. */
  events: readonly RunEvent[];
  /** The bot trainee's latest word, when --bot runs one. */
  bot?: string;
  /** Something the watcher must tell (the training process not answering, say). */
  notice?: string;
}

export interface ScreenOptions {
  /** Terminal columns: every line fits, cut with an ellipsis. */
  width: number;
  colour: boolean;
  eventRows?: number;
  leverRows?: number;
}

const label = (name: string) => name.padEnd(8);
const indent = label('');

export function renderScreen(model: ScreenModel, options: ScreenOptions): string {
  const width = Math.max(20, options.width);
  const { run, status } = model;
  const lines: Array<{ text: string; colour?: Colour }> = [];
  const add = (text: string, colour?: Colour): void => {
    lines.push(colour ? { text, colour } : { text });
  };
  /** Lines under one label: the label on the first, the others indented. */
  const labelled = (name: string, texts: readonly string[], colour?: Colour): void => {
    texts.forEach((text, index) => {
      add(`${index === 0 ? label(name) : indent}${text}`, colour);
    });
  };
  /** A labelled row of parts: on one line when it fits, else one part per line (narrow terminals). */
  const row = (name: string, parts: string[], colour?: Colour): void => {
    const joined = `${label(name)}${parts.join('  ')}`;
    if (joined.length <= width) add(joined, colour);
    else labelled(name, parts, colour);
  };

  add(run.scenario || run.title ? [run.title, run.scenario].filter(Boolean).join(' · ') : 'blind run (scenario hidden)', 'bold');
  row('run', [run.id, `seed ${run.seed}`, `speed ${run.speed}x`]);

  if (!status) {
    row('state', isFinished(run.state) ? [run.state] : [run.state, 'waiting for the first status']);
  } else {
    const state = status.phase && status.phase !== status.state ? `${status.state} (${status.phase})` : status.state;
    const timebox = status.timeboxMs === null ? 'no timebox' : clock(status.timeboxMs);
    const live = status.liveForMs === null ? `timebox ${timebox}` : `live ${clock(status.liveForMs)} of ${timebox}`;
    // Paused by the instructor: said in words (colour is not the only signal), with when it began.
    if (status.pausedAt) row('state', [`${state}  ${clock(status.elapsedMs)}`, live, `PAUSED since ${sinceStart(status.pausedAt, run)}`], 'yellow');
    else row('state', [`${state}  ${clock(status.elapsedMs)}`, live]);
    const { checkoutRate, errorRatio, p95Ms } = status.signals;
    row('shop', [`checkouts ${rate(checkoutRate)}`, `errors ${percent(errorRatio)}`, `p95 ${milliseconds(p95Ms)}`]);
    if (status.firingAlerts.length === 0) add(`${label('alerts')}none firing`, 'dim');
    else labelled('alerts', status.firingAlerts, 'red');
    status.probes.forEach((probe, index) => {
      add(`${index === 0 ? label('probes') : indent}${probe.passing ? '✓' : '✗'} ${probe.name}`, probe.passing ? 'green' : 'red');
    });
    if (status.probes.length > 0 && status.probes.every((p) => p.passing) && status.holdingForMs > 0)
      add(`${indent}holding for ${clock(status.holdingForMs)}`, 'green');
    const levers = status.levers.slice(-(options.leverRows ?? 3));
    if (levers.length === 0) add(`${label('levers')}none pulled yet`, 'dim');
    levers.forEach((lever, index) => {
      add(`${index === 0 ? label('levers') : indent}${sinceStart(lever.at, run)}  ${lever.actor}  ${lever.lever}`, 'cyan');
    });
  }

  if (model.bot !== undefined) add(`${label('bot')}${model.bot}`);
  const events = model.events.slice(-(options.eventRows ?? 5));
  if (events.length === 0) add(`${label('events')}none yet`, 'dim');
  const out = lines.map(({ text, colour }) => {
    const line = fit(text, width);
    return colour ? paint(colour, line, options.colour) : line;
  });
  const eventWidth = width - indent.length;
  events.forEach((event, index) => {
    // Aligned columns where they fit; a narrow terminal keeps what happened and drops the actor.
    out.push(`${index === 0 ? label('events') : indent}${eventLine(event, run, { colour: options.colour, width: eventWidth, compact: eventWidth < 56 })}`);
  });
  if (model.notice) out.push(paint('yellow', fit(model.notice, width), options.colour));
  const footer = width >= 64 ? 'Ctrl-C detaches (the run goes on); `lab scenario stop` ends it' : 'Ctrl-C detaches; the run goes on';
  out.push(paint('dim', fit(footer, width), options.colour));
  return out.join('\n');
}

function rate(value: number | null): string {
  return value === null ? '-' : `${value.toFixed(1)}/s`;
}

function percent(value: number | null): string {
  return value === null ? '-' : `${(value * 100).toFixed(1)}%`;
}

function milliseconds(value: number | null): string {
  return value === null ? '-' : `${Math.round(value)} ms`;
}
