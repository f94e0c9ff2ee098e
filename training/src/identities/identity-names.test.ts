import { describe, expect, it } from 'vitest';
import { identityName } from './identity-names.ts';

describe('team and trainee names', () => {
  it('when a name is lower-case letters, digits and dashes, 1 to 32, starting with a letter or digit, then it is accepted', () => {
    for (const name of ['a', 'blue', 'team-7', '7up', 'x'.repeat(32)]) expect(identityName.safeParse(name).success, name).toBe(true);
  });

  it('when a name is empty, too long, upper-case, starts with a dash or holds other characters, then it is refused', () => {
    for (const name of ['', 'x'.repeat(33), 'Blue', '-blue', 'blue team', 'blue_team', 'ünï', 'a/b'])
      expect(identityName.safeParse(name).success, name).toBe(false);
  });
});
