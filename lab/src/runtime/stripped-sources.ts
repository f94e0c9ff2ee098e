import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { stripTypeScriptTypes } from 'node:module';
import path from 'node:path';

/**
 * The shop's TypeScript, stripped of its types once by the lab (docs/decisions/0001, "The
 * stripped-source cache"). Node 24 strips a `.ts` file with amaro, a WebAssembly module it loads
 * into the process on the first `.ts` file and keeps: ~24 MiB of every shop process, three per
 * team. The lab's supervisor runs TypeScript itself, so it pays for amaro anyway; it strips the
 * shop's sources here, and each shop process's loader (stripped-sources-loader.mjs, the first
 * `--import` of shop-processes.ts) runs the stripped JavaScript instead. A file changed after this
 * (a trainee's edit) is not in the cache: Node strips it as ever.
 *
 * An entry is `<sha256 of the .ts file's bytes>.js`: keyed by content, not by path, so an edit can
 * never be served stale. The loader computes the same name; this rule and the loader's are the
 * same, a unit test checks it.
 */
export const strippedSourcesDirName = 'stripped';

/** `<state>/stripped`: the lab's data, private like every data dir (decision 0016); the shop's processes run as the lab's user. */
export function strippedSourcesDir(stateDir: string): string {
  return path.join(stateDir, strippedSourcesDirName);
}

/** The loader every shop process imports first; it reads the cache named by `strippedSourcesEnv`. */
export const strippedSourcesLoader = path.join(import.meta.dirname, 'stripped-sources-loader.mjs');

/** The variable that tells the loader where the cache is. */
export const strippedSourcesEnv = 'STRIPPED_SOURCES_DIR';

/**
 * What only the native lab sets for the cache: a Compose container runs one shop process, its image
 * the `.ts` files as they are (Node strips them there, as before), so it has no cache to name.
 */
export const nativeOnlyStrippedSources = { variables: [strippedSourcesEnv] } as const;

/** A cache entry's file name for a source's bytes. */
export function strippedEntryName(source: Buffer): string {
  return `${createHash('sha256').update(source).digest('hex')}.js`;
}

/** The shop's services: the processes that load the stripped sources (shop-processes.ts). */
const shopServices = ['api', 'payments', 'worker'];

/**
 * The `src` dirs of everything the shop's processes load as TypeScript: each service and every
 * workspace it depends on, directly or through another (kit, conventions, the chaos agent's
 * package, …), read from the package manifests so a new dependency is stripped without a change here.
 */
export function shopSourceDirs(repoRoot: string): string[] {
  const workspaceDirs = new Map(workspaces(repoRoot).map((dir) => [manifestOf(dir).name, dir]));
  const found = new Set<string>();
  const visit = (dir: string) => {
    if (found.has(dir)) return;
    found.add(dir);
    for (const dependency of Object.keys(manifestOf(dir).dependencies ?? {})) {
      const dependencyDir = workspaceDirs.get(dependency);
      if (dependencyDir) visit(dependencyDir);
    }
  };
  for (const service of shopServices) visit(path.join(repoRoot, 'services', service));
  return [...found].map((dir) => path.join(dir, 'src')).sort();
}

/** The workspaces' dirs, from the root manifest's `workspaces` (`packages/*`, `chaos`, …). */
function workspaces(repoRoot: string): string[] {
  const patterns = (JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as { workspaces: string[] }).workspaces;
  return patterns.flatMap((pattern) => {
    if (!pattern.endsWith('/*')) return [path.join(repoRoot, pattern)];
    const parent = path.join(repoRoot, pattern.slice(0, -2));
    return readdirSync(parent, { withFileTypes: true })
      .filter((entry) => entry.isDirectory())
      .map((entry) => path.join(parent, entry.name));
  });
}

function manifestOf(dir: string): { name: string; dependencies?: Record<string, string> } {
  return JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8'));
}

/** Every `.ts` file under a dir but tests (`*.test.ts`, which no service loads). */
function typeScriptFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.ts') && !file.endsWith('.test.ts'))
    .map((file) => path.join(dir, file));
}

/**
 * Node's own stripping (`mode: 'strip'`: types become spaces, so every line and column stays where
 * it is in the source and a stack trace points at the line a trainee opens). Node announces the
 * function as experimental on stderr the first time; that says nothing to a lab's user (the lab
 * runs on the same stripping), so the warning is held back for this one synchronous call.
 */
function strip(source: string): string {
  const emitWarning = process.emitWarning;
  process.emitWarning = () => {};
  try {
    return stripTypeScriptTypes(source, { mode: 'strip' });
  } finally {
    process.emitWarning = emitWarning;
  }
}

export interface StrippedSourcesResult {
  /** Entries the sources need (one per distinct content). */
  entries: number;
  /** Entries stripped by this call (the rest were there already). */
  stripped: number;
  /** Entries of sources that no longer exist, removed. */
  removed: number;
}

/**
 * Brings the cache up to date with the sources: strips what is not in it yet, removes entries no
 * source has any more (so it holds one copy of the shop, not every edit ever made). Each entry is
 * written then renamed, so a process starting meanwhile reads a whole entry or none.
 */
export function writeStrippedSources(cacheDir: string, sourceDirs: string[]): StrippedSourcesResult {
  mkdirSync(cacheDir, { recursive: true, mode: 0o700 });
  const present = new Set(readdirSync(cacheDir));
  const wanted = new Set<string>();
  let stripped = 0;
  for (const file of sourceDirs.flatMap(typeScriptFiles)) {
    const source = readFileSync(file);
    const name = strippedEntryName(source);
    wanted.add(name);
    if (present.has(name)) continue;
    const entry = path.join(cacheDir, name);
    writeFileSync(`${entry}.tmp`, strip(source.toString('utf8')));
    renameSync(`${entry}.tmp`, entry);
    present.add(name);
    stripped++;
  }
  let removed = 0;
  for (const name of present) {
    if (wanted.has(name)) continue;
    rmSync(path.join(cacheDir, name), { force: true });
    removed++;
  }
  return { entries: wanted.size, stripped, removed };
}
