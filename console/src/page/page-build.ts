import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { buildStampFile, consoleDir, pageSourceDigest, type BuildStamp } from './page-sources.ts';

/** Where `npm run build:console` (and the lab) write the page. */
export const defaultWebDir = path.join(consoleDir, 'dist', 'web');

export type PageState = 'current' | 'missing' | 'stale';

/** Whether the page in `webDir` is there and built from the sources as they are now. */
export function pageState(webDir: string = defaultWebDir, sourcesDir: string = consoleDir): PageState {
  if (!existsSync(path.join(webDir, 'index.html'))) return 'missing';
  const stamp = readStamp(webDir);
  return stamp?.digest === pageSourceDigest(sourcesDir) ? 'current' : 'stale';
}

export interface PageBuildResult {
  /** The page before this call. */
  before: PageState;
  /** The page now. */
  state: PageState;
  /** True when this call ran the build. */
  built: boolean;
  /** Why the page could not be built; undefined when it is current. */
  error?: string;
}

/**
 * Builds the page with Vite when it is missing or stale; does nothing when it is current. Vite is
 * a development dependency: where it is not installed (npm ci --omit=dev) this says so rather than
 * throwing, and the console keeps answering its pages with 503 page_not_built.
 */
export function ensurePageBuilt(options: { webDir?: string } = {}): PageBuildResult {
  const webDir = options.webDir ?? defaultWebDir;
  const before = pageState(webDir);
  if (before === 'current') return { before, state: before, built: false };
  const vite = viteCli();
  if (!vite) return { before, state: before, built: false, error: 'vite is not installed (run npm ci with the development dependencies)' };
  const build = spawnSync(process.execPath, [vite, 'build', '--config', path.join(consoleDir, 'vite.config.ts'), '--outDir', webDir, '--logLevel', 'warn'], {
    cwd: consoleDir,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  if (build.status !== 0) {
    const output = `${build.stderr ?? ''}${build.stdout ?? ''}`.trim().split('\n').slice(-5).join(' ');
    return { before, state: before, built: false, error: `vite build failed: ${output || build.error?.message || `exit ${build.status}`}` };
  }
  const after = pageState(webDir);
  return after === 'current' ? { before, state: after, built: true } : { before, state: after, built: true, error: `the build left the page ${after}` };
}

function readStamp(webDir: string): BuildStamp | undefined {
  try {
    return JSON.parse(readFileSync(path.join(webDir, buildStampFile), 'utf8')) as BuildStamp;
  } catch {
    return undefined;
  }
}

/** Vite's command-line entry, when Vite is installed. */
function viteCli(): string | undefined {
  try {
    const manifest = createRequire(path.join(consoleDir, 'package.json')).resolve('vite/package.json');
    return path.join(path.dirname(manifest), 'bin', 'vite.js');
  } catch {
    return undefined;
  }
}
