import { describe, expect, it } from 'vitest';
import { parseTeams } from './class-teams.ts';

describe('--teams', () => {
  it('takes names in the order given', () => {
    expect(parseTeams('blue,green,red')).toEqual(['blue', 'green', 'red']);
    expect(parseTeams(' ops1 , ops2 ')).toEqual(['ops1', 'ops2']);
  });

  it('turns a count into the first colours', () => {
    expect(parseTeams('3')).toEqual(['blue', 'green', 'red']);
    expect(parseTeams('1')).toEqual(['blue']);
  });

  it('refuses what cannot be a database name, a key prefix or a process name, in words', () => {
    expect(() => parseTeams('0')).toThrow('a class has 1 to 9 teams');
    expect(() => parseTeams('10')).toThrow('a class has 1 to 9 teams');
    expect(() => parseTeams('Blue')).toThrow('"Blue" is not a team name: a lowercase letter, then up to 15 lowercase letters or digits');
    expect(() => parseTeams('blue;drop')).toThrow('is not a team name');
    expect(() => parseTeams('blue,')).toThrow('"" is not a team name');
    expect(() => parseTeams('blue,blue')).toThrow('named twice');
    expect(() => parseTeams('a,b,c,d,e,f,g,h,i,j')).toThrow('at most 9 teams');
  });
});
