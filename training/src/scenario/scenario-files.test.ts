import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { generateScenarioSchemaFiles } from './generate-scenario-schema.ts';
import { defaultScenariosDir, listScenarioIds, loadAllScenarios, repoRoot } from './load-scenario.ts';
import { isOncall, type LabScenario } from './scenario-schema.ts';
import { planTimeline } from './timeline.ts';

// The committed scenarios/: every file loads, names real alerts, and has what the course needs.
const loaded = loadAllScenarios();
const labs = loaded.flatMap(({ scenario }) => (isOncall(scenario) ? [] : [scenario]));

/** Alert → runbook, from a rules file. */
const alertRunbooks = (file: string) =>
  (
    parse(readFileSync(path.join(repoRoot, file), 'utf8')) as {
      groups: { rules: { alert?: string; annotations?: { runbook_url?: string } }[] }[];
    }
  ).groups
    .flatMap((group) => group.rules)
    .filter((rule) => rule.alert)
    .map((rule) => [rule.alert!, rule.annotations?.runbook_url ?? ''] as const);
/** The alerts a lab may be built to fire: the symptom alerts, and the SLOs' burn-rate pages. */
const symptomAlerts = new Map([...alertRunbooks('prometheus/rules/symptom-alerts.yml'), ...alertRunbooks('prometheus/rules/slos.yml')]);

function leversSection(runbook: string): string {
  const text = readFileSync(path.join(repoRoot, runbook), 'utf8');
  const start = text.indexOf('\n## Levers\n');
  if (start < 0) return '';
  const end = text.indexOf('\n## ', start + 1);
  return text.slice(start, end < 0 ? undefined : end);
}

describe('scenarios/', () => {
  it('when listed, then every lab of the curriculum is there', () => {
    expect(listScenarioIds()).toEqual([
      'lab1-high-latency',
      'lab2-payment-failures',
      'lab3-database-network',
      'lab3-database-pool-leak',
      'lab4-worker-crash-loop',
      'lab4-worker-exit',
      'lab4-worker-hang',
      'lab5-multi-component',
      'oncall',
      'warstory-heap-exhaustion',
      'warstory-retry-storm',
    ]);
  });

  it.each(listScenarioIds())('when %s is opened in an editor, then it points at the JSON Schema', (id) => {
    const firstLine = readFileSync(path.join(defaultScenariosDir, id, 'scenario.yaml'), 'utf8').split('\n')[0];
    expect(firstLine).toBe('# yaml-language-server: $schema=../scenario.schema.json');
  });

  it('when the schema is generated, then the committed scenarios/scenario.schema.json is up to date', () => {
    for (const { file, content } of generateScenarioSchemaFiles())
      expect(readFileSync(path.join(repoRoot, file), 'utf8'), `${file} is stale: npm run scenario:schema`).toBe(content);
  });

  it.each(labs.map((lab) => [lab.id, lab] as const))(
    'when %s expects alerts, then each is a symptom or SLO burn alert with a runbook, and their runbooks list its levers',
    (_id, lab: LabScenario) => {
      for (const alert of lab.expectedAlerts)
        expect(symptomAlerts.get(alert), `${alert} in prometheus/rules/symptom-alerts.yml or slos.yml`).toMatch(/^docs\/runbooks\/.+\.md$/);
      const sections = lab.expectedAlerts.map((alert) => leversSection(symptomAlerts.get(alert)!)).join('\n');
      for (const lever of lab.timeline.flatMap((step) => [...step.endsWith, ...step.eases])) {
        // The runbooks spell levers as scenario files do: `rollback <service>`, `flag api.degraded-mode true`, ...
        const verb = lever.kind === 'failover' ? 'failover payments' : lever.kind === 'flag' ? `flag ${lever.flag}` : lever.kind;
        expect(sections, `the Levers section of a runbook of ${lab.expectedAlerts.join(', ')} names \`${verb}`).toContain(`\`${verb}`);
      }
    },
  );

  it.each(labs.map((lab) => [lab.id, lab] as const))(
    'when %s is played, then its fault comes within 60 s, has a way to end, and its hints end on the costliest',
    (_id, lab: LabScenario) => {
      const plan = planTimeline(lab, { seed: 1 });
      const firstFault = plan.steps.find((step) => step.actions.some((action) => action.kind === 'inject'));
      expect(firstFault?.atMs).toBeLessThanOrEqual(60_000);
      expect(lab.timeline.some((step) => step.endsWith.length > 0 || step.fault?.for !== undefined)).toBe(true);
      const costs = lab.hints.map((hint) => hint.cost);
      expect(costs.at(-1)).toBe(Math.max(...costs));
      expect(lab.par.mitigate).toBeLessThanOrEqual(lab.timebox);
    },
  );

  it('when an on-call run picks a scenario, then the pool holds labs only, each with a window for its blind fault time', () => {
    const oncall = loaded.map(({ scenario }) => scenario).find(isOncall)!;
    for (const id of oncall.oncall.pool) {
      const lab = labs.find((candidate) => candidate.id === id);
      expect(lab, id).toBeDefined();
      expect(
        lab!.timeline.some((step) => step.window),
        `${id} has a window`,
      ).toBe(true);
    }
  });
});
