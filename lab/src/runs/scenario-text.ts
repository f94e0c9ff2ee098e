import type { ParTimes, ScenarioSummary, ScenarioView } from '@firedrill/training';

/** `lab scenario list` and `lab scenario show`, as text. Pure, tested with hand-built answers. */

/** 1_200_000 → "20m", 90_000 → "1m30s", 5_400_000 → "1h30m": the way scenario files write durations. */
export function humanDuration(ms: number): string {
  const total = Math.round(ms / 1000);
  const parts: string[] = [];
  const hours = Math.floor(total / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const seconds = total % 60;
  if (hours) parts.push(`${hours}h`);
  if (minutes) parts.push(`${minutes}m`);
  if (seconds || parts.length === 0) parts.push(`${seconds}s`);
  return parts.join('');
}

export function scenarioTable(scenarios: readonly ScenarioSummary[]): string {
  if (scenarios.length === 0) return 'no scenarios: the lab found none in scenarios/';
  const rows = [
    ['ID', 'TITLE', 'CURRICULUM', 'DIFFICULTY', 'TIMEBOX'],
    ...scenarios.map((s) => [s.id, s.title, s.curriculum, `${s.difficulty}/5`, humanDuration(s.timeboxMs)]),
  ];
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)));
  return rows.map((row) => row.map((cell, column) => (column === row.length - 1 ? cell : cell.padEnd(widths[column]!))).join('  ')).join('\n');
}

export function parLine(par: ParTimes): string {
  return `par: detect ${humanDuration(par.detect)}, acknowledge ${humanDuration(par.acknowledge)}, mitigate ${humanDuration(par.mitigate)}, resolve ${humanDuration(par.resolve)}`;
}

export interface ShowContext {
  /** Where the instructor token was read, when it was: the answer key is then shown, and why. */
  instructorTokenFile?: string;
}

/**
 * What `lab scenario show` prints: name, place in the course, difficulty, timebox, par, the
 * briefing; the answer key and hints only for the instructor, saying so either way.
 */
export function scenarioDetails(scenario: ScenarioView, context: ShowContext): string {
  const lines = [
    `${scenario.title} (${scenario.id})`,
    `${scenario.curriculum} · difficulty ${scenario.difficulty}/5 · timebox ${humanDuration(scenario.timeboxMs)}`,
    scenario.par ? parLine(scenario.par) : 'par: none (an on-call run takes the par of the lab it picks)',
    '',
    scenario.briefing.trim(),
    '',
  ];
  if (!context.instructorTokenFile) {
    lines.push('The answer key and hints are not shown: they are the instructor’s (the instructor token is not readable here).');
    return lines.join('\n');
  }
  lines.push(`Instructor view (the instructor token is readable at ${context.instructorTokenFile}): keep this from trainees.`);
  if (scenario.answer) {
    lines.push(`answer: ${scenario.answer.severity}, ${scenario.answer.category}`, `  root cause: ${scenario.answer.rootCause}`);
  }
  scenario.hints?.forEach((hint, index) => {
    lines.push(`hint ${index + 1}${hint.after === undefined ? '' : ` after ${humanDuration(hint.after)}`} (cost ${hint.cost}): ${hint.text}`);
  });
  return lines.join('\n');
}
