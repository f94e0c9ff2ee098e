import { describe, expect, it } from 'vitest';
import { highestPort, maxTeams, portsFor, teamPortsFor } from './port-layout.ts';

describe('the port plan of a class (many teams on one machine)', () => {
  it('gives team k the block base + 100·k with the single lab’s shop offsets', () => {
    expect(teamPortsFor(7400, 1)).toEqual({
      api: 7500,
      payments: 7501,
      worker: 7502,
      postgresProxy: 7511,
      redis: 7520,
      redisProxy: 7521,
      workerReplicas: 7530,
      teamPrometheus: 7591,
      promLabelProxy: 7592,
    });
    expect(teamPortsFor(7400, 2).api).toBe(7600);
    expect(teamPortsFor(20_000, maxTeams).redisProxy).toBe(20_000 + 100 * maxTeams + 21);
  });

  it('never hands a team a port of the shared planes or of another team', () => {
    const base = 7400;
    const all = [...Object.values(portsFor(base))];
    for (let team = 1; team <= maxTeams; team++) all.push(...Object.values(teamPortsFor(base, team)));
    // Worker replicas run on workerReplicas … workerReplicas + 7: count them too.
    for (let team = 1; team <= maxTeams; team++) for (let r = 1; r < 8; r++) all.push(teamPortsFor(base, team).workerReplicas + r);
    expect(new Set(all).size).toBe(all.length);
    expect(Math.max(...all)).toBeLessThanOrEqual(highestPort(base, maxTeams));
  });

  it('keeps the single lab’s ports where they are', () => {
    expect(portsFor(7400).api).toBe(7400);
    expect(highestPort(7400, 0)).toBe(7493);
  });

  it('refuses a team outside the plan', () => {
    expect(() => teamPortsFor(7400, 0)).toThrow(/outside 1–9/);
    expect(() => teamPortsFor(7400, maxTeams + 1)).toThrow(/outside/);
  });
});
