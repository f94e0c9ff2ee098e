import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadAllScenarios, loadScenario } from './load-scenario.ts';
import { ScenarioError } from './scenario-error.ts';

const root = mkdtempSync(path.join(os.tmpdir(), 'scenario-load-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const alertNames = new Set(['ApiHighLatencyP95', 'ApiErrorRateHigh']);

/** A valid lab scenario, line by line, so a test can break one line and name it. */
const validLines = [
  'id: broken', //                                                         1
  'title: Checkout is slow', //                                            2
  'curriculum: Day 4, Lab 1', //                                           3
  'difficulty: 1', //                                                      4
  'timebox: 20m', //                                                       5
  'load: { script: shop-journey, profile: steady, rate: 10 }', //          6
  'steadyState:', //                                                       7
  '  - name: checkout p95 below 300 ms', //                                8
  '    promql: service:http_request_duration_seconds:p95_1m{service="api"} < 0.3', // 9
  'timeline:', //                                                          10
  '  - at: 45s', //                                                        11
  '    deploy: { service: payments, version: 2.4.0 }', //                  12
  '    fault: { family: latency, target: payments, ms: 500 }', //          13
  '    endsWith: [rollback payments]', //                                  14
  '    eases:', //                                                         15
  '      - flag payments.fraud-check false', //                            16
  'expectedAlerts: [ApiHighLatencyP95]', //                                17
  'stability: 1m', //                                                      18
  'answer: { severity: P2, category: bad-release, rootCause: "a release" }', // 19
  'hints:', //                                                             20
  '  - { after: 3m, cost: 5, text: "Which service?" }', //                 21
  '  - { cost: 25, text: "Roll back payments." }', //                      22
  'par: { detect: 3m, acknowledge: 5m, mitigate: 12m, resolve: 18m }', //  23
];

let count = 0;
/** Writes a scenario folder named "broken" (its own parent, so tests do not share files). */
function writeScenario(lines: readonly string[], briefing = '# Briefing\n'): string {
  const dir = path.join(root, String(++count), 'broken');
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, 'scenario.yaml'), `${lines.join('\n')}\n`);
  if (briefing !== undefined) writeFileSync(path.join(dir, 'briefing.md'), briefing);
  return dir;
}

function replaceLine(line: number, text: string): string[] {
  return validLines.map((current, index) => (index === line - 1 ? text : current));
}

function problemsOf(dir: string): string[] {
  try {
    loadScenario(dir, { alertNames, displayRoot: root });
  } catch (error) {
    expect(error).toBeInstanceOf(ScenarioError);
    return (error as ScenarioError).message.split('\n');
  }
  throw new Error('the scenario loaded without an error');
}

describe('loadScenario', () => {
  it('when the file is valid, then it loads with durations in ms, parsed levers and the briefing', () => {
    const dir = writeScenario(validLines);
    const { scenario, briefing } = loadScenario(dir, { alertNames });
    expect(briefing).toBe('# Briefing\n');
    expect(scenario).toMatchObject({
      id: 'broken',
      timebox: 20 * 60_000,
      stability: 60_000,
      timeline: [
        {
          at: 45_000,
          fault: { family: 'latency', target: 'payments', ms: 500, rate: 1, jitterMs: 0 },
          endsWith: [{ kind: 'rollback', service: 'payments' }],
          eases: [{ kind: 'flag', flag: 'payments.fraud-check', value: false }],
        },
      ],
      steadyState: [{ kind: 'promql', name: 'checkout p95 below 300 ms', toleranceMs: 0 }],
    });
  });

  it('when a fault setting is out of range, then the message names file, line and field', () => {
    const dir = writeScenario(replaceLine(13, '    fault: { family: latency, target: payments, ms: 70000 }'));
    expect(problemsOf(dir)).toEqual([`${path.relative(root, dir)}/scenario.yaml:13: timeline.0.fault.ms: must be at most 60000`]);
  });

  it("when a fault names a team, then it is refused at its line: a scenario's faults act on its run's shop (the run's team in a class)", () => {
    const dir = writeScenario(replaceLine(13, '    fault: { family: latency, target: payments, ms: 500, team: green }'));
    expect(problemsOf(dir)).toEqual([
      `${path.relative(root, dir)}/scenario.yaml:13: timeline.0.fault.team: a scenario's faults act on its run's shop (in a class the run's team's): a fault names no team`,
    ]);
  });

  it('when a field has the wrong type, then the message says which type it must be', () => {
    expect(problemsOf(writeScenario(replaceLine(4, 'difficulty: easy')))).toEqual([expect.stringMatching(/scenario\.yaml:4: difficulty: must be a number$/)]);
  });

  it('when a field is unknown, then it is named at its own line', () => {
    const lines = [...validLines.slice(0, 13), '    severity: high', ...validLines.slice(13)];
    expect(problemsOf(writeScenario(lines))).toEqual([expect.stringMatching(/scenario\.yaml:14: timeline\.0\.severity: unknown field$/)]);
  });

  it('when a lever is unknown, then the message names its line and the forms a lever takes', () => {
    const problems = problemsOf(writeScenario(replaceLine(16, '      - reboot payments')));
    expect(problems).toEqual([
      expect.stringMatching(
        /scenario\.yaml:16: timeline\.0\.eases\.0: "reboot payments" is not a lever: no lever "reboot"; the levers: restart <api\|payments\|worker> \| rollback/,
      ),
    ]);
  });

  it('when a lever names an unknown flag or a wrong value, then each is reported at its line', () => {
    const lines = replaceLine(14, '    endsWith: [rollback database, flag payments.fraud-check off]');
    expect(problemsOf(writeScenario(lines))).toEqual([
      expect.stringMatching(/:14: timeline\.0\.endsWith\.0: "rollback database" is not a lever: .*no service "database"/),
      expect.stringMatching(/:14: timeline\.0\.endsWith\.1: "flag payments.fraud-check off" is not a lever: .*give true or false, not "off"/),
    ]);
  });

  it('when an expected alert is not in the rules, then it is reported at its line', () => {
    expect(problemsOf(writeScenario(replaceLine(17, 'expectedAlerts: [ApiHighLatencyP95, CheckoutOnFire]')))).toEqual([
      expect.stringMatching(/scenario\.yaml:17: expectedAlerts\.1: no alert "CheckoutOnFire" in prometheus\/rules\/\*\.yml$/),
    ]);
  });

  it('when a duration has no unit, then the message shows how to write one', () => {
    expect(problemsOf(writeScenario(replaceLine(18, 'stability: 60')))).toEqual([expect.stringMatching(/:18: stability: must be a string$/)]);
    expect(problemsOf(writeScenario(replaceLine(18, 'stability: 2 minutes')))).toEqual([
      expect.stringMatching(/:18: stability: must be a duration such as "90s", "3m" or "1h30m"$/),
    ]);
  });

  it('when the YAML does not parse, then the message names the line of the syntax error', () => {
    const problems = problemsOf(writeScenario(replaceLine(6, 'load: { script: shop-journey, profile: steady')));
    expect(problems.length).toBeGreaterThan(0);
    expect(problems[0]).toMatch(/scenario\.yaml:(6|7): YAML syntax: /);
  });

  it('when a required field is missing, then it is reported at the mapping that lacks it', () => {
    expect(problemsOf(writeScenario(replaceLine(19, 'answer: { severity: P2, category: bad-release }')))).toEqual([
      expect.stringMatching(/:19: answer\.rootCause: is required$/),
    ]);
  });

  it('when the fault family is unknown, then the message lists the families', () => {
    expect(problemsOf(writeScenario(replaceLine(13, '    fault: { family: meteor, target: payments }')))).toEqual([
      expect.stringMatching(/:13: timeline\.0\.fault\.family: must be one of latency, errors, payment-failures, .*pool-leak.*retry-amplification/),
    ]);
  });

  it('when a family the catalogue does not define yet is named, then its settings pass through', () => {
    const dir = writeScenario(replaceLine(13, '    fault: { family: pool-leak, target: api, rate: 0.2 }'));
    const { scenario } = loadScenario(dir, { alertNames });
    expect('timeline' in scenario && scenario.timeline[0]!.fault).toMatchObject({ family: 'pool-leak', target: 'api', rate: 0.2 });
  });

  it('when several things are wrong, then every one is listed, in file order', () => {
    const lines = replaceLine(4, 'difficulty: 9').map((line, index) => (index === 17 ? 'stability: soon' : line));
    expect(problemsOf(writeScenario(lines))).toEqual([expect.stringMatching(/:4: difficulty: must be at most 5$/), expect.stringMatching(/:18: stability: /)]);
  });

  it('when the id differs from the folder, or the briefing is missing, then both are said', () => {
    const dir = writeScenario(replaceLine(1, 'id: something-else'), '');
    expect(problemsOf(dir)).toEqual([
      expect.stringMatching(/scenario\.yaml:1: id: must equal the folder name "broken"$/),
      expect.stringMatching(/briefing\.md:1: every scenario needs a briefing\.md beside it, not empty$/),
    ]);
  });

  it('when a fault has neither an ending lever nor a duration, then the step says it needs one', () => {
    expect(problemsOf(writeScenario(replaceLine(14, '    endsWith: []')))).toContainEqual(
      expect.stringMatching(/:14: timeline\.0\.endsWith: a fault needs a lever that ends it \(endsWith\) or a duration \(fault\.for\)$/),
    );
  });
});

describe('loadAllScenarios', () => {
  it('when an on-call pool names a scenario that does not exist, then its line is named', () => {
    const dir = path.join(root, 'pool');
    mkdirSync(path.join(dir, 'oncall'), { recursive: true });
    writeFileSync(
      path.join(dir, 'oncall', 'scenario.yaml'),
      ['id: oncall', 'title: On call', 'curriculum: Day 4', 'difficulty: 3', 'timebox: 45m', 'oncall:', '  pool:', '    - lab9-missing', ''].join('\n'),
    );
    writeFileSync(path.join(dir, 'oncall', 'briefing.md'), '# On call\n');
    expect(() => loadAllScenarios(dir, { alertNames, displayRoot: root })).toThrow(
      /^pool\/oncall\/scenario\.yaml:8: oncall\.pool\.0: no scenario "lab9-missing" in pool$/,
    );
  });
});
