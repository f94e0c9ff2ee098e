import { describe, expect, it } from 'vitest';
import { consoleConfigSchema } from './config.ts';

const classTeams = consoleConfigSchema.shape.CLASS_TEAMS;

describe("the console's CLASS_TEAMS", () => {
  it('when set, then it is the class’s teams in order; unset or empty, a single shop (none)', () => {
    expect(classTeams.parse('blue,green,red')).toEqual(['blue', 'green', 'red']);
    expect(classTeams.parse(undefined)).toEqual([]);
    expect(classTeams.parse('')).toEqual([]);
  });

  it('when a name is not a team name, then it is refused saying what one is', () => {
    const refused = classTeams.safeParse('blue,Green');
    expect(refused.success).toBe(false);
    expect(refused.error?.issues[0]?.message).toBe(
      'must be team names separated by commas, each a team name: a lowercase letter, then up to 15 lowercase letters or digits',
    );
    expect(classTeams.safeParse('blue,,green').success).toBe(false);
  });
});
