import { describe, expect, it } from 'vitest';
import { portsFor } from '@firedrill/lab-infra';
import { UsageError } from './command.ts';
import { labTeam } from './lab-team.ts';
import type { RunningLab } from './running-lab.ts';

const lab = (teams?: string[]): RunningLab => ({ state: { portBase: 7400, ...(teams && { teams }) } as RunningLab['state'], ports: portsFor(7400) });

describe('--team of a command that acts on a shop directly', () => {
  it("when a class's team is named, then it is that team; none named is none", () => {
    expect(labTeam(lab(['blue', 'green']), 'green')).toBe('green');
    expect(labTeam(lab(['blue', 'green']), undefined)).toBeUndefined();
    expect(labTeam(lab(), undefined)).toBeUndefined();
  });

  it('when the team is not one of the class, or the lab has no teams, then it is a usage error saying which', () => {
    expect(() => labTeam(lab(['blue', 'green']), 'red')).toThrow(new UsageError(`--team must be one of this class's teams (blue, green), not "red"`));
    expect(() => labTeam(lab(['blue']), true)).toThrow(UsageError);
    expect(() => labTeam(lab(), 'blue')).toThrow(/this lab runs one shop/);
    expect(() => labTeam(lab([]), 'blue')).toThrow(/this lab runs one shop/);
  });
});
