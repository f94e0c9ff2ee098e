import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const src = path.resolve(import.meta.dirname, '..');

/** Every module of chaos/src an entry file reaches through relative imports, type-only ones included. */
function reachable(entry: string): Set<string> {
  const seen = new Set<string>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    const text = readFileSync(file, 'utf8');
    for (const match of text.matchAll(/(?:import|export)\s[^'"]*?from\s+'(\.[^']+)'/g)) {
      visit(path.resolve(path.dirname(file), match[1]!));
    }
  };
  visit(entry);
  return seen;
}

describe('the chaos agent, as every shop service loads it', () => {
  it('when its imports are followed, then none leads into the controller', () => {
    const modules = [...reachable(path.join(src, 'agent', 'index.ts'))].map((f) => path.relative(src, f));

    expect(modules).toContain(path.join('shared', 'agent-protocol.ts')); // the walk does follow imports
    expect(modules.filter((m) => m.startsWith(`controller${path.sep}`))).toEqual([]);
  });
});
