/**
 * The loader in real Node processes (`node --import stripped-sources-loader.mjs`), as the lab
 * starts each shop process: what it serves from the cache, what it leaves to Node, and that a
 * process served from the cache never loads Node's TypeScript stripper (amaro).
 */
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { strippedEntryName, strippedSourcesEnv, strippedSourcesLoader, writeStrippedSources } from './stripped-sources.ts';

let dir: string;
let cache: string;

beforeEach(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'stripped-loader-'));
  cache = path.join(dir, 'stripped');
  writeFileSync(path.join(dir, 'package.json'), '{ "type": "module" }\n');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** The Node module Node's stripping lives in; it is in `process.moduleLoadList` once loaded. */
const amaro = 'internal/deps/amaro/dist/index';

/** Writes `files` under the temp dir (a path with a dir makes it). */
function write(files: Record<string, string>) {
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    writeFileSync(path.join(dir, name), text);
  }
}

/** Runs `main` as the lab runs a shop service: the loader first, the cache named in the environment. What it prints, as JSON. */
async function run(
  main: string,
  env: Record<string, string> = { [strippedSourcesEnv]: cache },
): Promise<{ from: string; amaroLoaded: boolean; stack?: string }> {
  const { stdout } = await promisify(execFile)(process.execPath, ['--import', strippedSourcesLoader, path.join(dir, main)], {
    cwd: dir,
    env: { PATH: process.env.PATH, ...env },
  });
  return JSON.parse(stdout);
}

/** A module that says where its code came from, whether amaro is loaded, and where it throws. */
const reporter = `import { where } from './where.ts';
type Report = { from: string; amaroLoaded: boolean; stack?: string };
function fail(): never {
  throw new Error('from the source');
}
let stack: string | undefined;
try { fail(); } catch (err) { stack = (err as Error).stack; }
const report: Report = { from: where, amaroLoaded: process.moduleLoadList.some((m: string) => m.endsWith('${amaro}')), stack };
console.log(JSON.stringify(report));
`;
const where = "export const where: string = 'the source';\n";

describe("the stripped-source loader (a shop process's first --import)", () => {
  it('when every .ts file it loads is in the cache, then the process runs them without ever loading amaro, and a stack trace names the source file at its own line and column', async () => {
    write({ 'main.ts': reporter, 'where.ts': where });
    writeStrippedSources(cache, [dir]);

    const report = await run('main.ts');

    expect(report.from).toBe('the source');
    expect(report.amaroLoaded).toBe(false);
    const throwLine = reporter.split('\n').findIndex((line) => line.includes("throw new Error('from the source')")) + 1;
    const column = reporter.split('\n')[throwLine - 1]!.indexOf('new Error') + 1;
    expect(report.stack).toContain(`at fail (file://${path.join(dir, 'main.ts')}:${throwLine}:${column})`);
  });

  it('when an entry is there, then it is what runs: the cache is read, not the file (an entry made to differ from the source shows it)', async () => {
    write({ 'main.ts': reporter, 'where.ts': where });
    writeStrippedSources(cache, [dir]);
    writeFileSync(path.join(cache, strippedEntryName(readFileSync(path.join(dir, 'where.ts')))), "export const where = 'the cache';\n");

    expect((await run('main.ts')).from).toBe('the cache');
  });

  it('when a .ts file is CommonJS (its package says so) and require()d, then it is served from the cache as CommonJS, without amaro', async () => {
    write({
      'main.ts': reporter.replace(
        "import { where } from './where.ts';",
        "import { createRequire } from 'node:module';\nconst { where } = createRequire(import.meta.url)('./lib/where.ts');",
      ),
      'lib/package.json': '{ "type": "commonjs" }\n',
      'lib/where.ts': "const where: string = 'CommonJS';\nmodule.exports = { where };\n",
    });
    writeStrippedSources(cache, [dir]);

    expect(await run('main.ts')).toMatchObject({ from: 'CommonJS', amaroLoaded: false });
  });

  it('when a file changed after the lab stripped it (a miss), then Node strips it as ever: the edit runs', async () => {
    write({ 'main.ts': reporter, 'where.ts': where });
    writeStrippedSources(cache, [dir]);
    write({ 'where.ts': "export const where: string = 'the edit';\n" });

    const report = await run('main.ts');

    expect(report.from).toBe('the edit');
    expect(report.amaroLoaded).toBe(true);
  });

  it('when a .ts file is under node_modules, then the loader leaves it to Node, which refuses it as it always has, even with an entry for its bytes', async () => {
    write({
      'main.ts': "import 'pkg';\n",
      'node_modules/pkg/package.json': '{ "type": "module", "exports": "./index.ts" }\n',
      'node_modules/pkg/index.ts': where,
    });
    writeStrippedSources(cache, [path.join(dir, 'node_modules', 'pkg')]);

    await expect(run('main.ts')).rejects.toThrow(/ERR_UNSUPPORTED_NODE_MODULES_TYPE_STRIPPING/);
  });

  it('when a module is not TypeScript, then it is loaded as it is, even if the cache has an entry for its bytes', async () => {
    const js = "export const where = 'plain JavaScript';\n";
    write({ 'main.ts': reporter.replace("'./where.ts'", "'./where.mjs'"), 'where.mjs': js });
    writeStrippedSources(cache, [dir]);
    writeFileSync(path.join(cache, strippedEntryName(Buffer.from(js))), "export const where = 'the cache';\n");

    const report = await run('main.ts');

    expect(report.from).toBe('plain JavaScript');
    expect(report.amaroLoaded).toBe(false);
  });

  it('when the process is not told where the cache is, then it has no hook and Node strips as ever', async () => {
    write({ 'main.ts': reporter, 'where.ts': where });
    writeStrippedSources(cache, [dir]);

    const report = await run('main.ts', {});

    expect(report.from).toBe('the source');
    expect(report.amaroLoaded).toBe(true);
  });
});
