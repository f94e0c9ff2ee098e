/**
 * Writes grafana/dashboards/**.json from the dashboards in src/dashboards:
 *   node grafana/src/generate.ts
 * The JSON is committed (Grafana provisions files); test/grafana fails when it is out of date.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { renderDashboards } from './catalogue.ts';

const outDir = path.join(import.meta.dirname, '..', 'dashboards');
for (const { file, text } of renderDashboards()) {
  const target = path.join(outDir, file);
  mkdirSync(path.dirname(target), { recursive: true });
  writeFileSync(target, text);
  console.log(`wrote ${path.relative(process.cwd(), target)}`);
}
