/**
 * The PIR editor's model: a review's Markdown cut at its `## ` headings, one part per section (the
 * first part is the title and whatever comes before the first section), and put back together
 * exactly. The checker's findings carry 1-based lines of the whole review; `partOfLine` says which
 * part's text box a finding belongs beside.
 */
export interface PirPart {
  /** The `## ` heading's text; '' for the title part. */
  heading: string;
  /** The lines under the heading (the title part: every line before the first section). */
  body: string;
}

/** Splits at lines starting `## ` outside code fences. */
export function splitPir(markdown: string): PirPart[] {
  const parts: PirPart[] = [{ heading: '', body: '' }];
  const bodies: string[][] = [[]];
  let fenced = false;
  for (const line of markdown.replaceAll('\r\n', '\n').split('\n')) {
    if (line.startsWith('```')) fenced = !fenced;
    if (!fenced && line.startsWith('## ')) {
      parts.push({ heading: line.slice(3).trim(), body: '' });
      bodies.push([]);
    } else bodies[bodies.length - 1]!.push(line);
  }
  return parts.map((part, i) => ({ ...part, body: bodies[i]!.join('\n') }));
}

export function joinPir(parts: readonly PirPart[]): string {
  return parts.map((part) => (part.heading === '' ? part.body : `## ${part.heading}\n${part.body}`)).join('\n');
}

/** The part holding a line of joinPir(parts) (1-based); the title part for a finding with no line. */
export function partOfLine(parts: readonly PirPart[], line: number | null): number {
  if (line === null) return 0;
  let end = 0;
  for (const [index, part] of parts.entries()) {
    end += part.body.split('\n').length + (part.heading === '' ? 0 : 1);
    if (line <= end) return index;
  }
  return parts.length - 1;
}

export interface PirFinding {
  rule: string;
  line: number | null;
  message: string;
}

/** The findings, grouped by the part they concern. */
export function findingsByPart(parts: readonly PirPart[], findings: readonly PirFinding[]): Map<number, PirFinding[]> {
  const grouped = new Map<number, PirFinding[]>();
  for (const finding of findings) {
    const part = partOfLine(parts, finding.line);
    grouped.set(part, [...(grouped.get(part) ?? []), finding]);
  }
  return grouped;
}
