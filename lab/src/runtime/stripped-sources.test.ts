import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { repoRoot } from '../config/lab-config.ts';
import { shopSourceDirs, strippedEntryName, writeStrippedSources } from './stripped-sources.ts';

let dir: string;
let src: string;
let cache: string;

beforeEach(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'stripped-sources-'));
  src = path.join(dir, 'src');
  cache = path.join(dir, 'stripped');
  mkdirSync(path.join(src, 'domain'), { recursive: true });
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const order = "import type { Order } from './order.ts';\nexport function total(order: Order): number {\n  return order.lines.length as number;\n}\n";
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

describe("the shop's stripped-source cache", () => {
  it('when a source is stripped, then its entry is named by the sha256 of its bytes and holds Node’s stripping, every line and column where the source has it', () => {
    writeFileSync(path.join(src, 'domain', 'total.ts'), order);

    expect(writeStrippedSources(cache, [src])).toEqual({ entries: 1, stripped: 1, removed: 0 });

    expect(strippedEntryName(Buffer.from(order))).toBe(`${sha256(order)}.js`);
    const entry = readFileSync(path.join(cache, `${sha256(order)}.js`), 'utf8');
    expect(entry).toBe('                                        \nexport function total(order       )         {\n  return order.lines.length          ;\n}\n');
    expect(entry.split('\n').map((line) => line.length)).toEqual(order.split('\n').map((line) => line.length));
    expect(statSync(cache).mode & 0o777).toBe(0o700);
  });

  it('when a dir holds tests, then only the files a service loads are stripped (no *.test.ts)', () => {
    writeFileSync(path.join(src, 'domain', 'total.ts'), order);
    writeFileSync(path.join(src, 'domain', 'total.test.ts'), "import { it } from 'vitest';\nit('adds', () => {});\n");
    writeFileSync(path.join(src, 'notes.md'), '# not code\n');

    writeStrippedSources(cache, [src]);

    expect(readdirSync(cache)).toEqual([`${sha256(order)}.js`]);
  });

  it('when run again, then nothing is stripped twice, an edited file gets a new entry and the old one, no source’s any more, is removed', () => {
    writeFileSync(path.join(src, 'domain', 'total.ts'), order);
    writeStrippedSources(cache, [src]);
    const first = statSync(path.join(cache, `${sha256(order)}.js`)).mtimeMs;

    expect(writeStrippedSources(cache, [src])).toEqual({ entries: 1, stripped: 0, removed: 0 });
    expect(statSync(path.join(cache, `${sha256(order)}.js`)).mtimeMs).toBe(first);

    const edited = order.replace('length', 'length + 1');
    writeFileSync(path.join(src, 'domain', 'total.ts'), edited);
    expect(writeStrippedSources(cache, [src])).toEqual({ entries: 1, stripped: 1, removed: 1 });
    expect(readdirSync(cache)).toEqual([`${sha256(edited)}.js`]);
  });

  it('when two files have the same bytes, then they share one entry', () => {
    writeFileSync(path.join(src, 'a.ts'), 'export {};\n');
    writeFileSync(path.join(src, 'domain', 'b.ts'), 'export {};\n');

    expect(writeStrippedSources(cache, [src])).toEqual({ entries: 1, stripped: 1, removed: 0 });
  });

  it("when the repo's manifests are read, then the dirs are the shop services' and every workspace they load, and nothing of the lab's planes", () => {
    const dirs = shopSourceDirs(repoRoot).map((d) => path.relative(repoRoot, d));

    expect(dirs).toEqual([
      'chaos/src',
      'packages/conventions/src',
      'packages/kit/src',
      'packages/queue-contract/src',
      'packages/shop-schema/src',
      'services/api/src',
      'services/payments/src',
      'services/worker/src',
    ]);
  });
});
