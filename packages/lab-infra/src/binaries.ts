import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';

/** Finds an executable on PATH, or undefined. */
export function which(name: string, extraDirs: string[] = []): string | undefined {
  const dirs = [...extraDirs, ...(process.env.PATH ?? '').split(path.delimiter)];
  for (const dir of dirs) {
    if (!dir) continue;
    const candidate = path.join(dir, name);
    if (existsSync(candidate)) return candidate;
  }
  return undefined;
}

/** Debian keeps the Postgres server binaries off PATH, under /usr/lib/postgresql/<major>/bin. */
export function postgresBinDir(): string | undefined {
  const root = '/usr/lib/postgresql';
  if (existsSync(root)) {
    const majors = readdirSync(root)
      .filter((d) => /^\d+$/.test(d) && existsSync(path.join(root, d, 'bin', 'postgres')))
      .sort((a, b) => Number(b) - Number(a));
    if (majors[0]) return path.join(root, majors[0], 'bin');
  }
  const onPath = which('postgres');
  return onPath ? path.dirname(onPath) : undefined;
}

/** Where `lab setup` caches the binaries it builds with Go (k6, toxiproxy), shared by clones. */
export function toolsBinDir(): string {
  const cache = process.env.FIREDRILL_TOOLS_DIR ?? path.join(process.env.XDG_CACHE_HOME ?? path.join(process.env.HOME ?? '/tmp', '.cache'), 'firedrill');
  return path.join(cache, 'bin');
}
