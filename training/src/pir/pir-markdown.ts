import { sectionOfHeading, type PirSectionId } from './pir-sections.ts';

/**
 * The little Markdown the PIR checker needs: which lines are prose, where the headings are, and
 * which lines belong to which section. Not a full CommonMark parser: ATX headings (`## Title`),
 * fenced code blocks, code spans, HTML comments and pipe tables, which is what the draft writes and
 * what editors produce. (Setext headings — a title underlined with === — are not recognised.)
 */

/**
 * The document's lines with everything that is not prose blanked out, character for character so
 * columns still line up: fenced code blocks, HTML comments, and code spans that quote a command or
 * log (anything but one plain word). Blame rules read only what is left: a quoted command such as
 * `git revert broke-things` is a record, not a sentence about a person. A span holding one plain
 * word (`Alice`, `caused`) stays prose, so backticks cannot hide a name or a verb from the checker.
 */
export function proseLines(markdown: string): string[] {
  const lines = markdown.split(/\r?\n/);
  const out: string[] = [];
  let fence: string | undefined;
  let inComment = false;
  for (const line of lines) {
    if (fence !== undefined) {
      out.push(blank(line));
      if (line.trim().startsWith(fence)) fence = undefined;
      continue;
    }
    const opening = /^ {0,3}(`{3,}|~{3,})/.exec(line);
    if (opening && !inComment) {
      fence = opening[1]!;
      out.push(blank(line));
      continue;
    }
    let text = line;
    // HTML comments, possibly spanning lines.
    let masked = '';
    let rest = text;
    while (rest.length > 0) {
      if (inComment) {
        const end = rest.indexOf('-->');
        if (end === -1) {
          masked += blank(rest);
          rest = '';
        } else {
          masked += blank(rest.slice(0, end + 3));
          rest = rest.slice(end + 3);
          inComment = false;
        }
      } else {
        const start = rest.indexOf('<!--');
        if (start === -1) {
          masked += rest;
          rest = '';
        } else {
          masked += rest.slice(0, start);
          rest = rest.slice(start);
          inComment = true;
        }
      }
    }
    text = masked.replace(/(`+)([^`]*?)\1/g, (span, _ticks: string, content: string) =>
      /^\s*[A-Za-z']+\s*$/.test(content) ? span.replaceAll('`', ' ') : blank(span),
    );
    out.push(text);
  }
  return out;
}

const blank = (text: string) => ' '.repeat(text.length);

export interface Heading {
  /** 0-based index into the lines. */
  index: number;
  level: number;
  text: string;
}

export function headingOf(line: string): { level: number; text: string } | undefined {
  const match = /^ {0,3}(#{1,6})\s+(.*?)(?:\s+#+)?\s*$/.exec(line);
  return match ? { level: match[1]!.length, text: match[2]!.trim() } : undefined;
}

export interface SectionSpan {
  id: PirSectionId;
  heading: Heading;
  /** 0-based, the first line after the heading. */
  bodyStart: number;
  /** 0-based, exclusive. */
  bodyEnd: number;
}

export interface PirOutline {
  /** The first `# ` heading that is not itself a section: the review's title. */
  title: Heading | undefined;
  sections: Map<PirSectionId, SectionSpan>;
}

/**
 * Finds each section's lines. A heading whose words name a section not yet found starts it; the
 * section runs to the next heading of the same or a higher level, or to the next heading that
 * starts another section. Other headings inside it ("### What went well") are part of it, so a
 * team may nest or not.
 */
export function outline(prose: readonly string[]): PirOutline {
  const headings: Heading[] = [];
  prose.forEach((line, index) => {
    const heading = headingOf(line);
    if (heading) headings.push({ index, ...heading });
  });
  const sections = new Map<PirSectionId, SectionSpan>();
  let title: Heading | undefined;
  let open: SectionSpan | undefined;
  const close = (at: number) => {
    if (open) open.bodyEnd = at;
    open = undefined;
  };
  for (const heading of headings) {
    // The first `# ` heading before any section is the title, whatever its words ("… and its impact").
    if (heading.level === 1 && title === undefined && sections.size === 0) {
      title = heading;
      continue;
    }
    const section = sectionOfHeading(heading.text);
    const startsNew = section !== undefined && !sections.has(section.id);
    if (open && (startsNew || heading.level <= open.heading.level)) close(heading.index);
    if (startsNew) {
      open = { id: section.id, heading, bodyStart: heading.index + 1, bodyEnd: prose.length };
      sections.set(section.id, open);
    }
  }
  close(prose.length);
  return { title, sections };
}

/** The cells of a pipe-table row, or undefined when the line is not one. */
export function tableCells(line: string): string[] | undefined {
  const trimmed = line.trim();
  if (!trimmed.startsWith('|')) return undefined;
  const inner = trimmed.replace(/^\|/, '').replace(/\|$/, '');
  return inner.split(/(?<!\\)\|/).map((cell) => cell.trim());
}

/** A table's separator row: | --- | :-: | */
export const isTableSeparator = (cells: readonly string[]) => cells.length > 0 && cells.every((cell) => /^:?-{1,}:?$/.test(cell));
