/**
 * Lab 4 (worker failure, the crash-loop variant) end to end with the bot trainee, on a native lab
 * of its own: a job with a legacy payload crashes the worker each time it is picked up. The bot
 * finds the job in the worker's fatal log lines (`lab logs worker`), dead-letters it, restarts the
 * worker, and the run resolves with nothing left behind.
 */
import { describe, expect, it } from 'vitest';
import { botLevers, expectMitigated, expectNoOrderLost, expectRestored, labReport } from './helpers/lab-expectations.ts';
import { expectGraded } from './helpers/lab-graded.ts';
import { duringFault, playWithBot, story } from './helpers/lab-with-bot.ts';
import { allLabs } from './helpers/lab-selection.ts';
import { nativeLabPerFile } from './helpers/native-lab-per-file.ts';
import { promValue } from './helpers/prometheus-value.ts';

const scenario = 'lab4-worker-crash-loop';

// Only with FIREDRILL_ALL_LABS=1: the worker-death family runs in CI through lab4-worker-exit, played by two teams of trainees over ssh (lab/test/class-walk.int.test.ts).
describe.skipIf(!allLabs)(`${scenario} with the bot`, () => {
  // Inside the skipped block: a lab that is not played starts nothing.
  const currentLab = nativeLabPerFile();

  it('when a poison job crashes the worker again and again, then the worker restarts repeatedly, the crash-loop alert fires, the bot dead-letters that job and the run resolves', async () => {
    const lab = currentLab();
    const play = await playWithBot(lab, scenario, {
      sample: () => promValue(lab, 'changes(process_start_time_seconds{service="worker"}[3m])'),
      timeoutMs: 420_000,
    });

    expectMitigated(play, scenario);

    await expectGraded(lab, play);
    const poison = play.events.filter((e) => e.kind === 'fault.injected').map((e) => `dead-letter legacy-${String(e.data.faultId)}`);
    expect(
      botLevers(play.events).map((e) => e.data.lever),
      story(play),
    ).toEqual(expect.arrayContaining(poison));
    // The curriculum's symptom: the worker restarting again and again.
    expect(Math.max(...duringFault(play)), story(play)).toBeGreaterThanOrEqual(2);

    const orders = await expectNoOrderLost(lab, play);
    await expectRestored(lab, play.run.id);
    console.info(labReport(scenario, play, orders));
  }, 600_000);
});
