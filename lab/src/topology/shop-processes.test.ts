import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadLabConfig } from '../config/lab-config.ts';
import { strippedSourcesLoader } from '../runtime/stripped-sources.ts';
import { labProcesses } from './lab-processes.ts';

const stateDir = mkdtempSync(path.join(os.tmpdir(), 'shop-processes-'));
afterAll(() => rmSync(stateDir, { recursive: true, force: true }));

describe("a shop process's start (native lab)", () => {
  it("when any shop process starts (the single lab's, a team's, a worker replica), then the stripped-source loader is its first --import, before the telemetry's .ts, and it is told where the cache is", () => {
    for (const teams of [undefined, 'blue,green']) {
      const config = loadLabConfig({ LAB_PORT_BASE: '7400', LAB_STATE_DIR: stateDir, ...(teams && { LAB_TEAMS: teams }) }, '/repo');
      const processes = new Map(labProcesses(config).map((p) => [p.name, p]));
      const prefix = teams ? 'green-' : '';
      const shop = ['api', 'payments', 'worker'].map((service) => processes.get(`${prefix}${service}`)!);
      shop.push(processes.get(`${prefix}worker`)!.scalable!.replica(3));
      for (const spec of shop) {
        const { args, env } = spec.launch();
        const imports = args.flatMap((arg, i) => (args[i - 1] === '--import' ? [arg] : []));
        expect(imports, spec.name).toEqual([strippedSourcesLoader, '@firedrill/kit/telemetry']);
        expect(env?.STRIPPED_SOURCES_DIR, spec.name).toBe(path.join(stateDir, 'stripped'));
      }
      // Only the shop: the lab's own Node processes (training, chaos, console) start as before.
      expect(processes.get('training')!.launch().args).not.toContain(strippedSourcesLoader);
    }
  });
});
