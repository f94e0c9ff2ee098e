import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

/**
 * What the built page is made from, and a digest of it. The build writes the digest beside the
 * page (build-stamp.json); the lab compares it with the sources' digest now to tell a page that
 * is missing or older than its sources from one that is current. A digest, not file times: a git
 * checkout or a copy into a container resets times, and rebuilding is cheap (about a second).
 */

/** The console's own folder (console/). */
export const consoleDir = path.resolve(import.meta.dirname, '..', '..');

/** The file beside index.html that names the sources' digest the page was built from. */
export const buildStampFile = 'build-stamp.json';

export interface BuildStamp {
  digest: string;
  builtAt: string;
}

/**
 * The page's inputs: everything under web/ (code, styles, index.html), the Vite config, and the
 * lockfile (a new Preact, uPlot or Vite changes the output too).
 */
export function pageSourceFiles(dir: string = consoleDir): string[] {
  const files = listFiles(path.join(dir, 'web'));
  for (const extra of [path.join(dir, 'vite.config.ts'), path.join(dir, '..', 'package-lock.json')]) if (existsSync(extra)) files.push(extra);
  return files.sort();
}

/** SHA-256 over each source's path (relative to `dir`) and content. */
export function pageSourceDigest(dir: string = consoleDir): string {
  const hash = createHash('sha256');
  for (const file of pageSourceFiles(dir)) {
    hash.update(path.relative(dir, file).split(path.sep).join('/'));
    hash.update('\0');
    hash.update(readFileSync(file));
    hash.update('\0');
  }
  return hash.digest('hex');
}

function listFiles(folder: string): string[] {
  if (!existsSync(folder)) return [];
  return readdirSync(folder).flatMap((entry) => {
    if (entry === 'node_modules') return [];
    const full = path.join(folder, entry);
    return statSync(full).isDirectory() ? listFiles(full) : [full];
  });
}
