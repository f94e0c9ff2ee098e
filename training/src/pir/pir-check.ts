import { wordingFindings } from './blame-wording.ts';
import { isTableSeparator, outline, proseLines, tableCells, type PirOutline, type SectionSpan } from './pir-markdown.ts';
import { actionTypes, pirSections, placeholderMarker } from './pir-sections.ts';

/**
 * `lab pir check`: what a PIR still lacks or says in a way that is not blameless. A pure function
 * of the Markdown (and the responders' names), so the CLI, the server's submit and the bot trainee
 * get the same findings, and every rule is tested with hand-written reviews (pir-check.test.ts).
 *
 * Rules (the `rule` of each finding; weights in pir-score.ts):
 *   missing-title       no `# Title` line
 *   missing-section     a required section is absent, or its heading has nothing under it
 *   placeholder         a line still holds a placeholder (TODO(team), TBD, FIXME, YYYY-MM-DD)
 *   impact-number       the impact section has no number in it
 *   timeline-row        a timeline row without a time or a source
 *   action-items-table  the action items are not a table with type, owner and due columns
 *   no-action-items     the table has no rows
 *   action-owner / action-type / action-due   an action item without an owner, a type
 *                       (mitigate | prevent | process) or a due date (YYYY-MM-DD)
 *   blame-name, human-error, hindsight        wording (blame-wording.ts)
 * Code blocks, HTML comments and quoted commands are not prose: placeholders and blame words in
 * them are not reported (see proseLines).
 */

export interface PirFinding {
  rule: string;
  /** 1-based; null when the finding is about something absent (a missing section). */
  line: number | null;
  message: string;
}

export interface CheckOptions {
  /** The responders' names (incident roles, the actors of the run); the review's own Responders section adds to them. */
  names?: readonly string[];
}

const placeholderPattern = new RegExp(`${placeholderMarker.replace(/[()]/g, '\\$&')}|\\bTBD\\b|\\bTBC\\b|\\bFIXME\\b|\\bYYYY-MM-DD\\b|\\?\\?\\?`);
const notAnOwner = /^(|-+|—|–|n\/?a|tbd|tbc|\?+|none|nobody|unknown|todo|unassigned)$/i;
const isoDate = /^(\d{4})-(\d{2})-(\d{2})(?:[T ][\d:.]+Z?)?$/;

export function checkPir(markdown: string, options: CheckOptions = {}): PirFinding[] {
  const raw = markdown.split(/\r?\n/);
  const prose = proseLines(markdown);
  const doc = outline(prose);
  const findings: PirFinding[] = [];

  if (!doc.title) findings.push({ rule: 'missing-title', line: null, message: 'no title: start the review with "# <title>"' });
  findings.push(...sectionFindings(doc, prose));

  const actionRows = new Set<number>();
  const actions = doc.sections.get('action-items');
  if (actions && hasContent(prose, actions)) findings.push(...actionItemFindings(raw, prose, actions, actionRows));

  const impact = doc.sections.get('impact');
  if (impact && hasContent(prose, impact) && !bodyOf(prose, impact).some((line) => /\d/.test(line)))
    findings.push({
      rule: 'impact-number',
      line: impact.heading.index + 1,
      message: 'impact has no number: say how long, how many orders or payments failed, how much error budget burned',
    });

  const timeline = doc.sections.get('timeline');
  if (timeline && hasContent(prose, timeline)) findings.push(...timelineFindings(raw, prose, timeline));

  prose.forEach((line, index) => {
    if (actionRows.has(index)) return;
    const match = placeholderPattern.exec(line);
    if (match) findings.push({ rule: 'placeholder', line: index + 1, message: `placeholder left: "${match[0]}" — fill this in` });
  });

  const names = [...(options.names ?? []), ...respondersNamed(raw, prose, doc)];
  findings.push(...wordingFindings(withoutTimelineQuotes(prose, timeline), names));
  return findings.sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
}

const bodyOf = (prose: readonly string[], span: SectionSpan) => prose.slice(span.bodyStart, span.bodyEnd);

/** Something under the heading besides sub-headings, table rules and blank lines. */
function hasContent(prose: readonly string[], span: SectionSpan): boolean {
  return bodyOf(prose, span).some((line) => {
    const text = line.trim();
    if (text === '' || /^#{1,6}(\s|$)/.test(text)) return false;
    const cells = tableCells(text);
    return !cells || (!isTableSeparator(cells) && cells.some((cell) => cell !== ''));
  });
}

function sectionFindings(doc: PirOutline, prose: readonly string[]): PirFinding[] {
  const findings: PirFinding[] = [];
  for (const section of pirSections.filter((s) => s.required)) {
    const span = doc.sections.get(section.id);
    if (!span) findings.push({ rule: 'missing-section', line: null, message: `missing section: ${section.title}` });
    else if (!hasContent(prose, span))
      findings.push({ rule: 'missing-section', line: span.heading.index + 1, message: `section "${span.heading.text}" is empty (${section.title})` });
  }
  return findings;
}

interface Table {
  header: { index: number; cells: string[] };
  rows: Array<{ index: number; cells: string[] }>;
}

/** Pipe tables inside a section (rows in code blocks are blanked out already). */
function tablesIn(raw: readonly string[], prose: readonly string[], span: SectionSpan): Table[] {
  const tables: Table[] = [];
  let current: Table | undefined;
  for (let index = span.bodyStart; index < span.bodyEnd; index++) {
    const cells = prose[index]!.trim() === '' ? undefined : tableCells(raw[index]!);
    if (!cells) {
      current = undefined;
      continue;
    }
    if (!current) {
      current = { header: { index, cells }, rows: [] };
      tables.push(current);
    } else if (!isTableSeparator(cells)) current.rows.push({ index, cells });
  }
  return tables;
}

const columnOf = (header: readonly string[], pattern: RegExp) => header.findIndex((cell) => pattern.test(cell.toLowerCase()));

function actionItemFindings(raw: readonly string[], prose: readonly string[], span: SectionSpan, rowLines: Set<number>): PirFinding[] {
  const table = tablesIn(raw, prose, span)[0];
  const headingLine = span.heading.index + 1;
  if (!table) return [{ rule: 'action-items-table', line: headingLine, message: 'action items must be a table: | action | type | owner | due | tracking |' }];
  const header = table.header.cells;
  const columns = {
    action: columnOf(header, /action|item|what/),
    type: columnOf(header, /type|kind/),
    owner: columnOf(header, /owner|who|assignee/),
    due: columnOf(header, /due|deadline|date|by when/),
  };
  const absent = Object.entries(columns)
    .filter(([, at]) => at === -1)
    .map(([name]) => name);
  if (absent.length > 0)
    return [{ rule: 'action-items-table', line: table.header.index + 1, message: `the action items table has no ${absent.join(', ')} column` }];
  if (table.rows.length === 0) return [{ rule: 'no-action-items', line: table.header.index + 1, message: 'no action items: every review leaves at least one' }];

  const findings: PirFinding[] = [];
  for (const row of table.rows) {
    rowLines.add(row.index);
    const line = row.index + 1;
    const cell = (at: number) => (row.cells[at] ?? '').replace(/[*_`]/g, '').trim();
    const action = cell(columns.action);
    const label = action && !placeholderPattern.test(action) ? `"${action.slice(0, 40)}"` : `row ${line}`;
    if (!action || placeholderPattern.test(action))
      findings.push({ rule: 'placeholder', line, message: 'an action item still has no action: say what will change' });
    const owner = cell(columns.owner);
    if (notAnOwner.test(owner) || placeholderPattern.test(owner) || owner.includes('<'))
      findings.push({ rule: 'action-owner', line, message: `action item ${label} has no owner` });
    const type = cell(columns.type).toLowerCase();
    if (!(actionTypes as readonly string[]).includes(type))
      findings.push({ rule: 'action-type', line, message: `action item ${label}: type must be one of ${actionTypes.join(', ')} (got "${type || 'nothing'}")` });
    if (!isValidDate(cell(columns.due))) findings.push({ rule: 'action-due', line, message: `action item ${label} has no due date (YYYY-MM-DD)` });
  }
  return findings;
}

function isValidDate(text: string): boolean {
  const match = isoDate.exec(text);
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

/** Timeline rows: a time (HH:MM, or an ISO time) and a source, so every claim can be checked. */
function timelineFindings(raw: readonly string[], prose: readonly string[], span: SectionSpan): PirFinding[] {
  const findings: PirFinding[] = [];
  const time = /\b\d{1,2}:\d{2}(:\d{2})?\b/;
  for (const table of tablesIn(raw, prose, span)) {
    const timeColumn = columnOf(table.header.cells, /time|when|utc/);
    const sourceColumn = columnOf(table.header.cells, /source|evidence|link|data/);
    for (const row of table.rows) {
      const timeCell = timeColumn === -1 ? row.cells.join(' ') : (row.cells[timeColumn] ?? '');
      if (!time.test(timeCell)) findings.push({ rule: 'timeline-row', line: row.index + 1, message: 'timeline row without a time (UTC, HH:MM:SS)' });
      if (sourceColumn === -1 || (row.cells[sourceColumn] ?? '').trim() === '')
        findings.push({ rule: 'timeline-row', line: row.index + 1, message: 'timeline row without a source (an event, a graph, a log line)' });
    }
  }
  // A timeline written as a list: each item starts with its time.
  for (let index = span.bodyStart; index < span.bodyEnd; index++) {
    const item = /^\s*(?:[-*+]|\d+[.)])\s+(.*)$/.exec(prose[index]!);
    if (item && !time.test(item[1]!.slice(0, 30)))
      findings.push({ rule: 'timeline-row', line: index + 1, message: 'timeline entry without a time at its start' });
  }
  return findings;
}

/**
 * The timeline quotes what trainees wrote during the incident ("note by ada: \"…\"") as the record;
 * a review does not rewrite the record, so quoted text there is not read for wording. Anywhere else
 * a quotation is the team's own words and counts.
 */
function withoutTimelineQuotes(prose: readonly string[], timeline: SectionSpan | undefined): string[] {
  if (!timeline) return [...prose];
  return prose.map((line, index) =>
    index >= timeline.bodyStart && index < timeline.bodyEnd ? line.replace(/"[^"]*"|“[^”]*”/g, (quoted) => ' '.repeat(quoted.length)) : line,
  );
}

/** Names in the review's Responders table (its "who" column), so a review is checked against its own people. */
function respondersNamed(raw: readonly string[], prose: readonly string[], doc: PirOutline): string[] {
  const span = doc.sections.get('responders');
  if (!span) return [];
  const names: string[] = [];
  for (const table of tablesIn(raw, prose, span)) {
    const who = columnOf(table.header.cells, /who|name|person|trainee|responder/);
    if (who === -1) continue;
    for (const row of table.rows) {
      for (const part of (row.cells[who] ?? '').split(/[,;&]| and /)) {
        const name = part.replace(/[*_`]/g, '').replace(/^\w+:/, '').trim();
        if (/^[\p{L}][\p{L}.'’ -]{1,40}$/u.test(name) && !placeholderPattern.test(name)) names.push(...name.split(/\s+/));
      }
    }
  }
  return names;
}
