// Writes the config files Docker Compose mounts (compose/*) from the native lab's own code
// (compose-configs.ts beside this file), so both ways of running route, scrape and proxy alike.
// Usage: node lab/src/compose/write-compose-configs.ts [--check]   (--check: exit 1 if a file is out of date)
import { syncGeneratedFiles } from '@firedrill/lab-infra';
import { repoRoot } from '../config/lab-config.ts';
import { renderComposeConfigs } from './compose-configs.ts';

function main(args: string[]): number {
  return syncGeneratedFiles(repoRoot, renderComposeConfigs(), {
    check: args.includes('--check'),
    what: 'compose configs are',
    regenerate: 'npm run compose:generate',
  });
}

if (import.meta.main) process.exitCode = main(process.argv.slice(2));
