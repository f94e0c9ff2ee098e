import { isMap, isPair, isScalar, isSeq, type Document, type LineCounter, type Node } from 'yaml';

/**
 * The line of a field in a parsed YAML document, for error messages: the line of the deepest part
 * of `path` that exists (a missing field is reported at its parent), and for a mapping entry the
 * line of its key, where the field is named.
 */
export function lineOf(doc: Document, lineCounter: LineCounter, path: readonly PropertyKey[]): number {
  let node: unknown = doc.contents;
  let offset = startOf(node);
  for (const segment of path) {
    if (isMap(node)) {
      const pair = node.items.find((item) => isPair(item) && isScalar(item.key) && String(item.key.value) === String(segment));
      if (!pair) break;
      offset = startOf(pair.key) ?? offset;
      node = pair.value;
    } else if (isSeq(node) && typeof segment === 'number') {
      const item = node.items[segment];
      if (item === undefined) break;
      node = item;
      offset = startOf(item) ?? offset;
    } else break;
  }
  return offset === undefined ? 1 : lineCounter.linePos(offset).line;
}

function startOf(node: unknown): number | undefined {
  return (node as Node | null)?.range?.[0];
}
