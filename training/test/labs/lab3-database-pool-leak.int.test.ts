/**
 * Lab 3, variant a (api 2.4.1 leaks pool clients) end to end with the bot trainee, on a native
 * lab of its own. Readiness names postgres while Postgres itself is up; the release is the
 * suspect; the bot rolls the api back and the run resolves with nothing left behind.
 */
import { describe, expect, it } from 'vitest';
import { nativeLabPerFile } from './helpers/native-lab-per-file.ts';
import { botLevers, expectMitigated, expectNoOrderLost, expectRestored, labReport } from './helpers/lab-expectations.ts';
import { expectGraded } from './helpers/lab-graded.ts';
import { duringFault, playWithBot, story } from './helpers/lab-with-bot.ts';
import { apiReadiness } from './helpers/readiness.ts';

const scenario = 'lab3-database-pool-leak';

const currentLab = nativeLabPerFile();

describe(`${scenario} with the bot`, () => {
  it('when api 2.4.1 leaks its Postgres clients, then readiness answers 503 naming postgres, an expected alert fires, the bot rolls the api back and the run resolves', async () => {
    const lab = currentLab();
    const play = await playWithBot(lab, scenario, { sample: () => apiReadiness(lab.url('api')), timeoutMs: 420_000 });

    expectMitigated(play, scenario);

    await expectGraded(lab, play);
    expect(
      botLevers(play.events).map((e) => e.data.lever),
      story(play),
    ).toContain('rollback api');
    // The curriculum's symptom: readiness 503, naming postgres.
    expect(
      duringFault(play).some((r) => r.status === 503 && r.failing.includes('postgres')),
      story(play),
    ).toBe(true);

    const orders = await expectNoOrderLost(lab, play);
    await expectRestored(lab, play.run.id);
    console.info(labReport(scenario, play, orders));
  }, 600_000);
});
