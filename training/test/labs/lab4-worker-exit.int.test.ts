/**
 * Lab 4 (worker failure, the "exit" variant) end to end with the bot trainee, on a native lab of
 * its own: the worker exits and nothing restarts it. Paid orders pile up in the fulfilment queue;
 * the bot is paged, restarts the worker, the backlog drains and the run resolves with nothing left
 * behind.
 */
import { describe, expect, it } from 'vitest';
import { allLabs } from './helpers/lab-selection.ts';
import { nativeLabPerFile } from './helpers/native-lab-per-file.ts';
import { botLevers, expectMitigated, expectNoOrderLost, expectRestored, labReport } from './helpers/lab-expectations.ts';
import { expectGraded } from './helpers/lab-graded.ts';
import { beforeFault, duringFault, playWithBot, story } from './helpers/lab-with-bot.ts';
import { promValue } from './helpers/prometheus-value.ts';

const scenario = 'lab4-worker-exit';

// Only with FIREDRILL_ALL_LABS=1: in CI, Lab 4 (this scenario) is played by two teams of trainees
// from their shells over ssh, at once, in lab/test/class-walk.int.test.ts.
describe.skipIf(!allLabs)(`${scenario} with the bot`, () => {
  // Inside the skipped block: a lab that is not played starts nothing.
  const currentLab = nativeLabPerFile();

  it('when the worker exits and stays down, then the queue depth climbs, an expected alert fires, the bot restarts the worker and the run resolves', async () => {
    const lab = currentLab();
    const play = await playWithBot(lab, scenario, { sample: () => promValue(lab, 'queue:bullmq_jobs_backlog:sum'), timeoutMs: 420_000 });

    expectMitigated(play, scenario);

    await expectGraded(lab, play);
    expect(
      botLevers(play.events).map((e) => e.data.lever),
      story(play),
    ).toContain('restart worker');
    // The curriculum's symptom: queue depth climbing while the worker is out.
    const steady = Math.max(0, ...beforeFault(play));
    expect(Math.max(...duringFault(play)), `steady backlog ${steady}\n${story(play)}`).toBeGreaterThan(steady + 10);

    const orders = await expectNoOrderLost(lab, play);
    await expectRestored(lab, play.run.id);
    console.info(labReport(scenario, play, orders));
  }, 600_000);
});
