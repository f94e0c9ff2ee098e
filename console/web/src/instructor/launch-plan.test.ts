import { describe, expect, it } from 'vitest';
import { everyTeam, launchOutcome, launchPlan } from './launch-plan.ts';

describe('the launch plan', () => {
  it('when one team is chosen, then one run is started for it', () => {
    expect(launchPlan('blue', [{ name: 'blue' }, { name: 'red' }])).toEqual(['blue']);
  });

  it('when every team is chosen, then a run per team, in the teams order', () => {
    expect(launchPlan(everyTeam, [{ name: 'blue' }, { name: 'red' }])).toEqual(['blue', 'red']);
  });

  it('when every team is chosen and there is none, then one run for no team', () => {
    expect(launchPlan(everyTeam, [])).toEqual([null]);
  });

  it('when the lab refuses a second run, then the outcome says so for that team, in words', () => {
    expect(launchOutcome('blue', { runId: 'run-1' })).toEqual({ team: 'blue', ok: true, text: 'Team blue: started run run-1' });
    const refused = launchOutcome('red', { status: 409, code: 'run_in_progress', detail: 'run run-1 is live' });
    expect(refused.ok).toBe(false);
    expect(refused.text).toBe('Team red: REFUSED, another run is in progress. This lab has one shop, so one run at a time (run run-1 is live)');
    expect(launchOutcome(null, { status: 404, code: 'unknown_scenario', detail: 'no lab9' }).text).toBe('No team: REFUSED (404 unknown_scenario): no lab9');
  });
});
