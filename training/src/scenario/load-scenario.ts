import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { readAlertNames } from './alert-names.ts';
import { ScenarioError, type ScenarioProblem } from './scenario-error.ts';
import { labScenarioSchema, oncallScenarioSchema, type Scenario } from './scenario-schema.ts';
import { validateYaml } from './yaml-file.ts';

export const repoRoot = path.resolve(import.meta.dirname, '../../..');
export const defaultScenariosDir = path.join(repoRoot, 'scenarios');
export const defaultRulesDir = path.join(repoRoot, 'prometheus', 'rules');

export interface LoadedScenario {
  scenario: Scenario;
  /** briefing.md beside the scenario file, as Markdown. */
  briefing: string;
  dir: string;
}

export interface LoadOptions {
  /** Alerts a scenario may expect; read from prometheus/rules/*.yml when absent. */
  alertNames?: ReadonlySet<string>;
  /** Scenario ids an on-call pool may name; the folders of the scenario's parent directory when absent. */
  scenarioIds?: ReadonlySet<string>;
  /** File names in messages are relative to this (default: the working directory). */
  displayRoot?: string;
}

/** Folders of `scenariosDir` holding a scenario.yaml (scenarios/load/ holds k6 scripts, not scenarios). */
export function listScenarioIds(scenariosDir: string = defaultScenariosDir): string[] {
  return readdirSync(scenariosDir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(path.join(scenariosDir, entry.name, 'scenario.yaml')))
    .map((entry) => entry.name)
    .sort();
}

/**
 * Reads and validates scenarios/<id>/scenario.yaml and its briefing.md. Throws a ScenarioError
 * naming file, line and field for every problem found, not just the first.
 */
export function loadScenario(dir: string, options: LoadOptions = {}): LoadedScenario {
  const file = path.join(dir, 'scenario.yaml');
  const shown = (target: string) => {
    const relative = path.relative(options.displayRoot ?? process.cwd(), target);
    return relative.startsWith('..') ? target : relative;
  };
  const problems: ScenarioProblem[] = [];
  const problem = (line: number, field: string, message: string) => problems.push({ file: shown(file), line, field, message });

  const parsed = validateYaml(
    readFileSync(file, 'utf8'),
    (data) => (data !== null && typeof data === 'object' && 'oncall' in data ? oncallScenarioSchema : labScenarioSchema),
    shown(file),
  );
  if (!parsed.ok) throw new ScenarioError(parsed.problems);
  const scenario = parsed.data as Scenario;
  const folder = path.basename(dir);
  if (scenario.id !== folder) problem(parsed.at(['id']), 'id', `must equal the folder name "${folder}"`);

  if ('oncall' in scenario) {
    const ids = options.scenarioIds ?? new Set(listScenarioIds(path.dirname(dir)));
    scenario.oncall.pool.forEach((id, index) => {
      const at = ['oncall', 'pool', index];
      if (id === scenario.id) problem(parsed.at(at), at.join('.'), 'an on-call pool cannot name itself');
      else if (!ids.has(id)) problem(parsed.at(at), at.join('.'), `no scenario "${id}" in ${shown(path.dirname(dir))}`);
    });
  } else {
    const alerts = options.alertNames ?? readAlertNames(defaultRulesDir);
    scenario.expectedAlerts.forEach((name, index) => {
      const at = ['expectedAlerts', index];
      if (!alerts.has(name)) problem(parsed.at(at), at.join('.'), `no alert "${name}" in prometheus/rules/*.yml`);
    });
  }

  const briefingFile = path.join(dir, 'briefing.md');
  const briefing = existsSync(briefingFile) ? readFileSync(briefingFile, 'utf8') : '';
  if (!briefing.trim()) problems.push({ file: shown(briefingFile), line: 1, field: '', message: 'every scenario needs a briefing.md beside it, not empty' });

  if (problems.length > 0) throw new ScenarioError(problems);
  return { scenario, briefing, dir };
}

/** Every scenario of the folder; one ScenarioError listing the problems of all of them. */
export function loadAllScenarios(scenariosDir: string = defaultScenariosDir, options: LoadOptions = {}): LoadedScenario[] {
  const ids = listScenarioIds(scenariosDir);
  const settings = { ...options, scenarioIds: options.scenarioIds ?? new Set(ids), alertNames: options.alertNames ?? readAlertNames(defaultRulesDir) };
  const loaded: LoadedScenario[] = [];
  const problems: ScenarioProblem[] = [];
  for (const id of ids) {
    try {
      loaded.push(loadScenario(path.join(scenariosDir, id), settings));
    } catch (error) {
      if (!(error instanceof ScenarioError)) throw error;
      problems.push(...error.problems);
    }
  }
  if (problems.length > 0) throw new ScenarioError(problems);
  return loaded;
}
