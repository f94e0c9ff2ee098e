import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { generateSloRuleFiles, sloRuleFiles } from '../../scripts/generate-slo-rules.ts';
import { parseSloSpecs } from '../../scripts/slo/slo-spec.ts';

const repo = path.resolve(import.meta.dirname, '..', '..');
const promtool = '/usr/bin/promtool';

/** The rule files Prometheus loads (the lab's glob is rules/*.yml), plus the production SLO rules. */
const loadedRuleFiles = readdirSync(path.join(repo, 'prometheus', 'rules'))
  .filter((f) => f.endsWith('.yml'))
  .map((f) => path.join('prometheus', 'rules', f));
const ruleFiles = [...loadedRuleFiles, ...sloRuleFiles.map((r) => r.file).filter((f) => !loadedRuleFiles.includes(f))];
const unitTestFiles = readdirSync(path.join(repo, 'prometheus', 'tests'))
  .filter((f) => f.endsWith('.test.yml'))
  .map((f) => path.join('prometheus', 'tests', f));

function runPromtool(args: string[]): { ok: boolean; output: string } {
  if (!existsSync(promtool)) {
    throw new Error(`${promtool} not found: it ships with Debian's prometheus package (\`npx lab setup\` installs it)`);
  }
  try {
    const output = execFileSync(promtool, args, { cwd: repo, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    return { ok: true, output };
  } catch (err) {
    const e = err as { stdout?: string; stderr?: string };
    return { ok: false, output: `${e.stdout ?? ''}${e.stderr ?? ''}` };
  }
}

interface Rule {
  alert?: string;
  record?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}
function rulesOf(file: string): Rule[] {
  const doc = parse(readFileSync(path.join(repo, file), 'utf8')) as { groups: { rules: Rule[] }[] };
  return doc.groups.flatMap((g) => g.rules);
}

describe('Prometheus rules', () => {
  it('when promtool checks every rule file, then each is valid', () => {
    const result = runPromtool(['check', 'rules', ...ruleFiles]);
    expect(result.output).not.toContain('FAILED');
    expect(result.ok, result.output).toBe(true);
  });

  it('when promtool runs the rule unit tests, then every test passes', () => {
    expect(unitTestFiles.length).toBeGreaterThan(0);
    const result = runPromtool(['test', 'rules', ...unitTestFiles]);
    expect(result.ok, result.output).toBe(true);
  });

  it('when Prometheus loads rules/*.yml, then no unit-test file is among them', () => {
    expect(loadedRuleFiles.filter((f) => f.includes('.test.'))).toEqual([]);
  });

  it('when an alert fires, then it carries a severity, a summary, a description and a runbook that exists', () => {
    const problems: string[] = [];
    for (const file of ruleFiles) {
      for (const rule of rulesOf(file).filter((r) => r.alert)) {
        const name = `${file}: ${rule.alert}`;
        if (!['page', 'ticket', 'info'].includes(rule.labels?.severity ?? '')) problems.push(`${name}: severity must be page, ticket or info`);
        for (const key of ['summary', 'description', 'runbook_url']) {
          if (!rule.annotations?.[key]?.trim()) problems.push(`${name}: no ${key}`);
        }
        const runbook = rule.annotations?.runbook_url;
        if (runbook && !(runbook.startsWith('docs/runbooks/') && existsSync(path.join(repo, runbook)))) {
          problems.push(`${name}: runbook ${runbook} is not a file under docs/runbooks/`);
        }
      }
    }
    expect(problems).toEqual([]);
  });

  it('when every alert is listed, then each has at least one promtool unit test', () => {
    const alerts = new Set(ruleFiles.flatMap((f) => rulesOf(f).flatMap((r) => (r.alert ? [r.alert] : []))));
    const tested = new Set(
      unitTestFiles.flatMap((f) => {
        const doc = parse(readFileSync(path.join(repo, f), 'utf8')) as { tests: { alert_rule_test?: { alertname: string; exp_alerts: unknown[] }[] }[] };
        return doc.tests.flatMap((t) => (t.alert_rule_test ?? []).filter((a) => a.exp_alerts.length > 0).map((a) => a.alertname));
      }),
    );
    expect([...alerts].filter((a) => !tested.has(a))).toEqual([]);
  });
});

describe('SLO spec and generated rules', () => {
  it('when the spec is parsed, then it validates', () => {
    const specs = parseSloSpecs(readFileSync(path.join(repo, 'prometheus', 'slos.yml'), 'utf8'));
    expect(specs.flatMap((s) => s.slos.map((slo) => `${s.service}-${slo.name}`))).toEqual([
      'api-checkout-availability',
      'api-checkout-latency',
      'payments-payment-success',
    ]);
  });

  it('when the generator runs now, then the committed rule files are what it produces', () => {
    for (const { file, content } of generateSloRuleFiles()) {
      expect(readFileSync(path.join(repo, file), 'utf8'), `${file} is out of date: run npm run slo:generate`).toBe(content);
    }
  });

  it('when a query lacks {{.window}} or a page alert lacks a severity, then the spec is refused with both problems', () => {
    const spec = `
version: prometheus/v1
service: api
slos:
  - name: broken
    objective: 99
    description: x
    sli:
      events:
        error_query: sum(rate(errors_total[5m]))
        total_query: sum(rate(requests_total[{{.window}}]))
    alerting:
      name: Broken
      annotations: { summary: s, description: d, runbook_url: docs/runbooks/slo-burn.md }
      page_alert: { labels: {} }
      ticket_alert: { labels: { severity: ticket } }
`;
    expect(() => parseSloSpecs(spec)).toThrow(/error_query: must contain \{\{\.window\}\}[\s\S]*page_alert\.labels\.severity/);
  });
});
