import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../scenario/load-scenario.ts';
import { generateRunbookSchemaFiles } from './generate-runbook-schema.ts';
import { defaultRunbooksDir, listRunbookFiles, loadRunbook, RunbookError, runbookFile } from './load-runbook.ts';
import { planRunbook } from './runbook-plan.ts';

const dir = mkdtempSync(path.join(os.tmpdir(), 'runbooks-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Writes a runbook file and returns the problems its loading reports, as "line field: message". */
function problemsOf(name: string, text: string): string[] {
  const file = path.join(dir, `${name}.runbook.yaml`);
  writeFileSync(file, text);
  try {
    loadRunbook(file, { displayRoot: dir });
    return [];
  } catch (error) {
    if (!(error instanceof RunbookError)) throw error;
    expect(error.problems.every((p) => p.file === `${name}.runbook.yaml`)).toBe(true);
    return error.problems.map((p) => `${p.line} ${p.field}: ${p.message}`);
  }
}

describe('the runbooks of docs/runbooks', () => {
  const files = listRunbookFiles();

  it('when listed, then each prose page with levers has executable runbooks beside it', () => {
    const names = files.map((file) => path.basename(file, '.runbook.yaml'));
    for (const area of ['latency', 'payments', 'database', 'worker'])
      expect(names.filter((name) => name.startsWith(`${area}-`)).length).toBeGreaterThanOrEqual(2);
  });

  it.each(files.map((file) => [path.basename(file), file]))(
    'when %s is loaded, then it is valid, points at the JSON Schema, and plans with sample parameters',
    (_name, file) => {
      const { runbook } = loadRunbook(file);
      expect(readFileSync(file, 'utf8').split('\n')[0]).toBe('# yaml-language-server: $schema=./runbook.schema.json');
      const samples = Object.fromEntries(Object.entries(runbook.parameters).map(([name, p]) => [name, p.default ?? p.values?.[0] ?? 'job-1']));
      expect(planRunbook(runbook, samples).ok).toBe(true);
    },
  );

  it('when the schema is generated, then the committed docs/runbooks/runbook.schema.json is up to date', () => {
    for (const { file, content } of generateRunbookSchemaFiles())
      expect(readFileSync(path.join(repoRoot, file), 'utf8'), `${file} is stale: npm run runbook:schema`).toBe(content);
  });

  it('when a runbook is named rather than given by path, then it is the file in docs/runbooks; a path is taken as it is', () => {
    expect(runbookFile('latency-rollback')).toBe(path.join(defaultRunbooksDir, 'latency-rollback.runbook.yaml'));
    expect(runbookFile('./my.runbook.yaml')).toBe(path.resolve('my.runbook.yaml'));
  });
});

describe('a runbook file with mistakes', () => {
  it('when fields are wrong or unknown, then each problem names its line and field', () => {
    expect(
      problemsOf(
        'wrong',
        `name: wrong
title: Wrong
kind: remedy
steps:
  - name: one
    command: lab status
    retries: -1
    colour: blue
`,
      ),
    ).toEqual([
      '3 kind: must be one of diagnostic, remediation, preventive, emergency',
      '7 steps.0.retries: must be at least 0',
      '8 steps.0.colour: unknown field',
    ]);
  });

  it('when a step has no action or two, then it says a step needs exactly one', () => {
    expect(
      problemsOf('actions', 'name: actions\ntitle: A\nkind: diagnostic\nsteps:\n  - name: none\n  - name: two\n    command: x\n    lever: restart api\n'),
    ).toEqual(['5 steps.0: a step needs exactly one of command, lever, probe', '6 steps.1: a step needs exactly one of command, lever, probe']);
  });

  it('when a requires entry is a malformed check, then the check’s own field is named, not "no allowed form"', () => {
    expect(
      problemsOf('requires', 'name: requires\ntitle: R\nkind: diagnostic\nsteps:\n  - name: one\n    command: x\n    requires:\n      - { command: 3 }\n'),
    ).toEqual(['8 steps.0.requires.0.command: must be a string']);
  });

  it('when levers, step names and placeholders do not add up, then each is named at its line', () => {
    expect(
      problemsOf(
        'semantic',
        `name: semantic
title: Semantic
kind: remediation
parameters:
  service: { description: which, values: [api, payments] }
steps:
  - name: restart
    lever: restart databse
  - name: restart
    lever: rollback {{service}}
    requires: [later]
  - name: later
    command: echo {{region}}
    rollback: { lever: scale worker 99 }
`,
      ),
    ).toEqual([
      '8 steps.0.lever: "restart databse" is not a lever: "restart <api|payments|worker>": no service "databse" (the shop\'s services: api, payments, worker)',
      '9 steps.1.name: another step is named "restart"',
      '11 steps.1.requires.0: no earlier step is named "later"',
      '13 steps.2.command: {{region}}: no such parameter (declare it under parameters)',
      '14 steps.2.rollback.lever: "scale worker 99" is not a lever: scale: the worker runs 1 to 8 processes, not "99"',
    ]);
  });

  it('when the name is not the file name, or the YAML does not parse, then it says so at the line', () => {
    expect(problemsOf('named', 'name: other\ntitle: N\nkind: diagnostic\nsteps:\n  - { name: a, command: x }\n')).toEqual([
      '1 name: must equal the file name "named"',
    ]);
    expect(problemsOf('broken', 'name: broken\ntitle: [unclosed\n')[0]).toMatch(/^\d+ : YAML syntax: /);
  });
});

describe('parameters', () => {
  const { runbook } = loadRunbook(path.join(defaultRunbooksDir, 'latency-rollback.runbook.yaml'));

  it('when a required parameter is missing, unknown or not allowed, then every problem is named before anything runs', () => {
    expect(planRunbook(runbook, {})).toEqual({ ok: false, errors: ['service: required (the service whose release preceded the rise in p95)'] });
    expect(planRunbook(runbook, { service: 'worker', region: 'eu' })).toEqual({
      ok: false,
      errors: ['region: no such parameter (service)', 'service: "worker" is not one of api, payments'],
    });
  });

  it('when a parameter is given, then levers and probes carry its value', () => {
    const planned = planRunbook(runbook, { service: 'payments' });
    if (!planned.ok) throw new Error(planned.errors.join());
    expect(planned.plan.steps[1]!.action).toEqual({ kind: 'lever', lever: 'rollback payments' });
    expect(planned.plan.steps[0]!.action).toMatchObject({
      kind: 'probe',
      probe: { promql: 'service:http_request_duration_seconds:p95_1m{service="payments"} > 0.3' },
    });
  });

  it('when a free-form value would break out of a shell command, then it is refused; an accepted value is single-quoted', () => {
    const file = path.join(dir, 'shelly.runbook.yaml');
    writeFileSync(
      file,
      "name: shelly\ntitle: S\nkind: diagnostic\nparameters:\n  job: { description: a job, pattern: '.+' }\nsteps:\n  - { name: show, command: 'echo {{job}}' }\n",
    );
    const shelly = loadRunbook(file).runbook;
    expect(planRunbook(shelly, { job: "x'; rm -rf ~; echo '" })).toMatchObject({ ok: false, errors: [expect.stringMatching(/^job: .* may hold only/)] });
    const planned = planRunbook(shelly, { job: 'poison-1' });
    expect(planned.ok && planned.plan.steps[0]!.action).toEqual({ kind: 'command', command: "echo 'poison-1'" });
  });

  it('when a lever parameter has no sample at load time, then the lever is checked once the run gives its value', () => {
    const { runbook: deadLetter } = loadRunbook(path.join(defaultRunbooksDir, 'worker-dead-letter.runbook.yaml'));
    expect(planRunbook(deadLetter, { job: 'order-42' }).ok).toBe(true);
    expect(planRunbook(deadLetter, { job: 'a*b' })).toMatchObject({ ok: false, errors: [expect.stringMatching(/^job: "a\*b" does not match/)] });
  });
});
