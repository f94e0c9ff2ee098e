import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * The bot proves a lab solvable only if it uses a trainee's means. Its code (tests aside) may
 * import nothing but itself and Node, so neither the scenario files, nor their answer key, nor the
 * chaos plane's code are within reach; and the only lab routes it names are the ones a trainee
 * calls.
 */
const dir = import.meta.dirname;
const sources = readdirSync(dir)
  .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts') && f !== 'test-observations.ts')
  .map((f) => ({ file: f, text: readFileSync(path.join(dir, f), 'utf8') }));

/**
 * Trainee routes: alerts (open), releases, flags, the run as operator (its status, its review),
 * levers, the incident commands, runbook steps, the review checker; Prometheus' query API.
 */
const traineeRoutes = [
  '/api/alerts',
  '/api/releases',
  '/api/flags',
  '/api/runs/',
  '/api/levers',
  '/api/v1/query',
  '/api/incident/',
  '/api/runbooks/steps',
  '/api/pir/check',
];

/**
 * Beyond itself, the bot may use what a trainee has in the repository: the executable runbooks'
 * runner library (the same one `lab runbook run` uses) and the status-update templates of the
 * playbook. Nothing of the scenarios, the chaos plane or the grading.
 */
const traineeLibraries = [
  '../runbooks/load-runbook.ts',
  '../runbooks/runbook-executors.ts',
  '../runbooks/runbook-plan.ts',
  '../runbooks/runbook-runner.ts',
  '../incidents/update-templates.ts',
  // Its Prometheus client (basic auth since the classroom issue); the kit holds nothing of the
  // scenarios, the chaos plane or the grading.
  '@firedrill/kit',
  // The PromQL team matcher (a class's team's series), as the lab's panels and a trainee's tools
  // scope a query; conventions hold names and labels, nothing of the scenarios or the grading.
  '@firedrill/conventions',
];

describe("the bot's boundaries", () => {
  it('when its sources are read, then there are some (the check below cannot pass on an empty folder)', () => {
    expect(sources.map((s) => s.file)).toEqual(expect.arrayContaining(['run-bot.ts', 'diagnose.ts', 'trainee-clients.ts', 'metrics-observer.ts']));
  });

  it('when its imports are listed, then each is a file of the bot itself, a Node built-in or a trainee library (runbooks, update templates)', () => {
    const imports = sources.flatMap(({ file, text }) =>
      [...text.matchAll(/\bfrom\s+'([^']+)'|\bimport\(\s*'([^']+)'\s*\)/g)].map((m) => ({ file, from: m[1] ?? m[2] })),
    );
    expect(imports.length).toBeGreaterThan(0);
    const outside = imports.filter(({ from }) => !/^\.\/[\w-]+\.ts$/.test(from ?? '') && !from?.startsWith('node:') && !traineeLibraries.includes(from ?? ''));
    expect(outside).toEqual([]);
  });

  it('when the lab routes it names are listed, then each is a trainee route, and no fault, halt, scenario or instructor secret appears', () => {
    const all = sources.map((s) => s.text).join('\n');
    const routes = [...all.matchAll(/\/api\/[\w/.-]*/g)].map((m) => m[0]);
    expect(routes.length).toBeGreaterThan(0);
    expect(routes.filter((r) => !traineeRoutes.some((allowed) => r === allowed || r.startsWith(allowed)))).toEqual([]);
    for (const forbidden of [
      '/api/faults',
      '/api/halt',
      'clear-release',
      '/api/scenarios',
      'scenario.yaml',
      'instructor-token',
      'rootCause',
      '.answer',
      'expectedAlerts',
      'endsWith',
    ]) {
      expect(all, forbidden).not.toContain(forbidden);
    }
  });
});
