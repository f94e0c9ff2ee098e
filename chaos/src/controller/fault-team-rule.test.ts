import { describe, expect, it } from 'vitest';
import { catalogue, faultSpec } from '../faults/catalogue.ts';
import { faultTeamRefusal } from './fault-team-rule.ts';

const klass = ['blue', 'green'];
/** One valid spec of every family the catalogue has, with what each needs. */
const everyFamily = catalogue.map(({ family }) => {
  const needs: Record<string, Record<string, unknown>> = {
    latency: { target: 'payments', ms: 100 },
    errors: { target: 'api' },
    'payment-failures': { mode: 'declined' },
    'worker-death': { mode: 'exit' },
  };
  return { family, ...needs[family] };
});

describe('the team a fault names', () => {
  it('is checked on every family there is (each spec of the union, each entry of the catalogue)', () => {
    expect(everyFamily.map((f) => f.family).sort()).toEqual(faultSpec.options.map((o) => o.shape.family.value).sort());
  });

  it.each(everyFamily)('in a class, a $family fault for no team is refused naming the teams', (body) => {
    expect(faultTeamRefusal(faultSpec.parse(body), klass)).toBe(
      `In this class each team has its own shop: name the team whose shop the ${body.family} fault is for (teams: blue, green)`,
    );
  });

  it.each(everyFamily)("in a class, a $family fault for a team without a shop is refused; for one of the class's teams it may be injected", (body) => {
    expect(faultTeamRefusal(faultSpec.parse({ ...body, team: 'red' }), klass)).toBe('Team red has no shop in this class (teams: blue, green)');
    expect(faultTeamRefusal(faultSpec.parse({ ...body, team: 'green' }), klass)).toBeUndefined();
  });

  it.each(everyFamily)('in a single lab, a $family fault for no team may be injected as ever; one naming a team is refused (no team owns its shop)', (body) => {
    expect(faultTeamRefusal(faultSpec.parse(body), [])).toBeUndefined();
    expect(faultTeamRefusal(faultSpec.parse({ ...body, team: 'blue' }), [])).toBe("This lab runs one shop, no team's: a fault names no team (blue given)");
  });
});
