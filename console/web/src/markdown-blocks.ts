/**
 * A small Markdown reader for the runbooks panel: enough of it (headings, paragraphs, lists, code
 * blocks, tables kept as text) to read a runbook page. The page renders the blocks as elements
 * holding text — never as HTML — so nothing in a file can run in a trainee's browser.
 */
export type MarkdownBlock =
  | { type: 'heading'; level: number; text: string }
  | { type: 'paragraph'; text: string }
  | { type: 'list'; ordered: boolean; items: string[] }
  | { type: 'code'; text: string }
  | { type: 'table'; text: string };

const listItem = /^\s*(?:([-*+])|(\d+)[.)])\s+(.*)$/;

export function markdownBlocks(markdown: string): MarkdownBlock[] {
  const blocks: MarkdownBlock[] = [];
  const lines = markdown.replaceAll('\r\n', '\n').split('\n');
  let i = 0;
  while (i < lines.length) {
    const line = lines[i]!;
    if (line.trim() === '') {
      i++;
      continue;
    }
    if (line.startsWith('```')) {
      const code: string[] = [];
      i++;
      while (i < lines.length && !lines[i]!.startsWith('```')) code.push(lines[i++]!);
      i++; // the closing fence
      blocks.push({ type: 'code', text: code.join('\n') });
      continue;
    }
    const heading = /^(#{1,6})\s+(.*)$/.exec(line);
    if (heading) {
      blocks.push({ type: 'heading', level: heading[1]!.length, text: heading[2]!.trim() });
      i++;
      continue;
    }
    if (line.trimStart().startsWith('|')) {
      const rows: string[] = [];
      while (i < lines.length && lines[i]!.trimStart().startsWith('|')) rows.push(lines[i++]!);
      blocks.push({ type: 'table', text: rows.join('\n') });
      continue;
    }
    const first = listItem.exec(line);
    if (first) {
      const ordered = first[2] !== undefined;
      const items: string[] = [];
      while (i < lines.length && lines[i]!.trim() !== '') {
        const item = listItem.exec(lines[i]!);
        // A line that is not a new item continues the one before (wrapped text, a nested item's text).
        if (item && !/^\s{2,}/.test(lines[i]!)) items.push(item[3]!);
        else if (items.length > 0) items[items.length - 1] += ` ${lines[i]!.trim()}`;
        i++;
      }
      blocks.push({ type: 'list', ordered, items });
      continue;
    }
    const paragraph: string[] = [];
    while (i < lines.length && lines[i]!.trim() !== '' && !/^(#{1,6}\s|```|\s*\|)/.test(lines[i]!) && !listItem.test(lines[i]!))
      paragraph.push(lines[i++]!.trim());
    blocks.push({ type: 'paragraph', text: paragraph.join(' ') });
  }
  return blocks;
}

export type InlinePart = { type: 'text' | 'code' | 'strong'; text: string };

/** `code`, **strong** and [links](target) (written as their text: the files link to each other by path). */
export function inlineParts(text: string): InlinePart[] {
  const parts: InlinePart[] = [];
  const pattern = /`([^`]+)`|\*\*([^*]+)\*\*|\[([^\]]+)\]\([^)]*\)/g;
  let last = 0;
  for (const match of text.matchAll(pattern)) {
    if (match.index > last) parts.push({ type: 'text', text: text.slice(last, match.index) });
    if (match[1] !== undefined) parts.push({ type: 'code', text: match[1] });
    else if (match[2] !== undefined) parts.push({ type: 'strong', text: match[2] });
    else parts.push({ type: 'text', text: match[3]! });
    last = match.index + match[0].length;
  }
  if (last < text.length) parts.push({ type: 'text', text: text.slice(last) });
  return parts;
}
