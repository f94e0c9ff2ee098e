import path from 'node:path';
import type { RunRecord } from '../runs/run-store.ts';
import { loadScenario } from '../scenario/load-scenario.ts';
import { isOncall } from '../scenario/scenario-schema.ts';
import type { ScenarioHint } from './next-hint.ts';

/**
 * The hints of the scenario a run plays (an on-call run's pick), read from its file once per
 * scenario. A file that no longer loads has no hints to give rather than failing the request.
 */
export function scenarioHints(scenariosDir: string): (run: RunRecord) => readonly ScenarioHint[] {
  const cache = new Map<string, readonly ScenarioHint[]>();
  return (run) => {
    let hints = cache.get(run.scenario);
    if (!hints) {
      try {
        const { scenario } = loadScenario(path.join(scenariosDir, run.scenario));
        hints = isOncall(scenario) ? [] : scenario.hints;
      } catch {
        hints = [];
      }
      cache.set(run.scenario, hints);
    }
    return hints;
  };
}
