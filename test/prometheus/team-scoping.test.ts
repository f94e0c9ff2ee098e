import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse, stringify } from 'yaml';
import { afterAll, describe, expect, it } from 'vitest';
import { withTeamMatcher } from '@firedrill/conventions';

/**
 * The PromQL team injector (docs/decisions/0015) on every query the lab writes: each rule's
 * expression and each scenario's probes, scoped to team blue, must still be PromQL that
 * Prometheus' own parser (promtool) accepts, and every selector must name the team.
 */
const repo = path.resolve(import.meta.dirname, '..', '..');
const scratch = mkdtempSync(path.join(os.tmpdir(), 'team-scoping-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const ruleExprs = readdirSync(path.join(repo, 'prometheus', 'rules'))
  .filter((f) => f.endsWith('.yml'))
  .flatMap((f) => (parse(readFileSync(path.join(repo, 'prometheus', 'rules', f), 'utf8')) as { groups: { rules: { expr: string }[] }[] }).groups)
  .flatMap((g) => g.rules.map((r) => r.expr));
const probeExprs = readdirSync(path.join(repo, 'scenarios'), { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .flatMap((d) => {
    try {
      return [...readFileSync(path.join(repo, 'scenarios', d.name, 'scenario.yaml'), 'utf8').matchAll(/^\s*promql: (.+)$/gm)].map((m) => m[1]!);
    } catch {
      return [];
    }
  });

describe('every query the lab writes, scoped to a team', () => {
  it('found the lab’s rules and probes', () => {
    expect(ruleExprs.length).toBeGreaterThan(40);
    expect(probeExprs.length).toBeGreaterThan(10);
  });

  it('is still valid PromQL for promtool', () => {
    const rules = [...ruleExprs, ...probeExprs].map((expr, i) => ({ record: `scoped:check_${i}`, expr: withTeamMatcher(expr, 'blue') }));
    const file = path.join(scratch, 'scoped.yml');
    writeFileSync(file, stringify({ groups: [{ name: 'scoped', rules }] }));
    const output = execFileSync('/usr/bin/promtool', ['check', 'rules', file], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    expect(output).toContain(`SUCCESS: ${rules.length} rules found`);
  });

  it('names the team in every selector: no metric is read without it', () => {
    for (const expr of [...ruleExprs, ...probeExprs]) {
      const scoped = withTeamMatcher(expr, 'blue');
      // Every `{…}` that holds a matcher holds the team's, and no metric name is left without braces.
      for (const selector of scoped.match(/\{[^{}]*=[^{}]*\}/g) ?? []) expect(selector, `${expr} → ${scoped}`).toContain('team="blue"');
    }
  });
});
