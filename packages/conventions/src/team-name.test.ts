import { describe, expect, it } from 'vitest';
import { teamNamePattern, teamNameRule, teamNameSource } from './team-name.ts';

describe('a team name', () => {
  it('is a lowercase letter, then up to 15 lowercase letters or digits, as its rule says', () => {
    for (const name of ['blue', 'b', 'team2', 'a'.repeat(16)]) expect(teamNamePattern.test(name), name).toBe(true);
    for (const name of ['', 'Blue', '2blue', 'blue-green', 'blue_green', 'a'.repeat(17), 'blue\n']) expect(teamNamePattern.test(name), name).toBe(false);
    expect(teamNameRule).toBe('a team name: a lowercase letter, then up to 15 lowercase letters or digits');
  });

  it('embeds in a longer pattern (a process, a proxy, a log named after its team) with the same rule', () => {
    const proxy = new RegExp(`^(${teamNameSource})-postgres$`);
    expect(proxy.exec('green-postgres')?.[1]).toBe('green');
    expect(proxy.test('Green-postgres')).toBe(false);
    expect(proxy.test(`${'a'.repeat(17)}-postgres`)).toBe(false);
  });
});
