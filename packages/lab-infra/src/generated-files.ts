import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export interface GeneratedFile {
  /** Path relative to `root`. */
  file: string;
  content: string;
}

/**
 * The committed-generated-files routine every generator shares (SLO rules, Compose configs,
 * dashboards): write each file whose content differs, or with `check` only name the stale ones.
 * Returns the exit code: 1 when `check` found a stale file.
 */
export function syncGeneratedFiles(root: string, files: readonly GeneratedFile[], options: { check: boolean; what: string; regenerate: string }): number {
  const stale: string[] = [];
  for (const { file, content } of files) {
    const target = path.join(root, file);
    let current: string | undefined;
    try {
      current = readFileSync(target, 'utf8');
    } catch {
      current = undefined;
    }
    if (current === content) continue;
    if (options.check) {
      stale.push(file);
      continue;
    }
    mkdirSync(path.dirname(target), { recursive: true });
    writeFileSync(target, content);
    console.log(`wrote ${file}`);
  }
  if (stale.length) {
    console.error(`out of date (run \`${options.regenerate}\`): ${stale.join(', ')}`);
    return 1;
  }
  if (options.check) console.log(`${options.what} up to date`);
  return 0;
}
