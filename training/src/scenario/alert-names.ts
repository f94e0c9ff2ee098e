import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';

/**
 * The alert names the lab's Prometheus loads: every `alert:` in rules/*.yml (not in sub-folders,
 * which hold the production profile the lab does not load). A scenario may only expect these.
 */
export function readAlertNames(rulesDir: string): Set<string> {
  const names = new Set<string>();
  for (const file of readdirSync(rulesDir).filter((name) => name.endsWith('.yml'))) {
    const rules = parse(readFileSync(path.join(rulesDir, file), 'utf8')) as { groups?: { rules?: { alert?: unknown }[] }[] } | null;
    for (const group of rules?.groups ?? []) {
      for (const rule of group.rules ?? []) if (typeof rule.alert === 'string') names.add(rule.alert);
    }
  }
  return names;
}
