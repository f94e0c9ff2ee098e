/**
 * Lab 3, variant b (the path to Postgres black-holed) end to end with the bot trainee, on a
 * native lab of its own. Nothing of the team's changed, so nothing ends it but the path coming
 * back (the fault's `for`): the bot keeps the shop degraded gracefully meanwhile (checkout 503 with
 * Retry-After, nothing accepted and lost), switches degraded mode off once the api is ready again,
 * and the run resolves with nothing left behind.
 */
import { describe, expect, it } from 'vitest';
import { nativeLabPerFile } from './helpers/native-lab-per-file.ts';
import { botLevers, expectMitigated, expectNoOrderLost, expectRestored, labReport } from './helpers/lab-expectations.ts';
import { expectGraded } from './helpers/lab-graded.ts';
import { duringFault, playWithBot, story } from './helpers/lab-with-bot.ts';
import { apiReadiness } from './helpers/readiness.ts';

const scenario = 'lab3-database-network';

const currentLab = nativeLabPerFile();

describe(`${scenario} with the bot`, () => {
  it('when the path to Postgres is black-holed for a while, then readiness answers 503 naming postgres, the database alert fires, the bot degrades the shop and restores it, and the run resolves', async () => {
    const lab = currentLab();
    const play = await playWithBot(lab, scenario, { sample: () => apiReadiness(lab.url('api')), timeoutMs: 420_000 });

    expectMitigated(play, scenario);

    await expectGraded(lab, play);
    // The curriculum's symptom: readiness 503, naming postgres.
    expect(
      duringFault(play).some((r) => r.status === 503 && r.failing.includes('postgres')),
      story(play),
    ).toBe(true);
    // The cause ended by itself; what the bot did was ease it, then undo the easing.
    expect(play.events.find((e) => e.kind === 'cause.ended')?.data, story(play)).toMatchObject({ by: 'expired' });
    expect(
      botLevers(play.events).map((e) => e.data.lever),
      story(play),
    ).toEqual(['flag api.degraded-mode true', 'flag api.degraded-mode false']);

    const orders = await expectNoOrderLost(lab, play);
    await expectRestored(lab, play.run.id);
    console.info(labReport(scenario, play, orders));
  }, 600_000);
});
