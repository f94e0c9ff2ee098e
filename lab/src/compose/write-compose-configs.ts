// Writes the config files Docker Compose mounts (compose/*) from the native lab's own code
// (compose-configs.ts beside this file), so both ways of running route, scrape and proxy alike.
// Usage: node lab/src/compose/write-compose-configs.ts [--check]   (--check: exit 1 if a file is out of date)
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { repoRoot } from '../config/lab-config.ts';
import { renderComposeConfigs } from './compose-configs.ts';

function main(args: string[]): number {
  const check = args.includes('--check');
  const stale: string[] = [];
  for (const { file, content } of renderComposeConfigs()) {
    const target = path.join(repoRoot, file);
    let current: string | undefined;
    try {
      current = readFileSync(target, 'utf8');
    } catch {
      current = undefined;
    }
    if (current === content) continue;
    if (check) {
      stale.push(file);
      continue;
    }
    mkdirSync(path.dirname(target), { recursive: true });
    writeFileSync(target, content);
    console.log(`wrote ${file}`);
  }
  if (stale.length) {
    console.error(`out of date (run \`npm run compose:generate\`): ${stale.join(', ')}`);
    return 1;
  }
  if (check) console.log('compose configs are up to date');
  return 0;
}

if (import.meta.main) process.exitCode = main(process.argv.slice(2));
