/**
 * Lab 1 (high latency) end to end with the bot trainee, on a native lab of its own: real k6
 * traffic, Prometheus and Alertmanager, payments 2.4.0 deployed on the timeline with 500 ms per
 * charge. The bot is paged, rolls payments back, and the run resolves with nothing left behind.
 */
import { describe, expect, it } from 'vitest';
import { nativeLabPerFile } from './helpers/native-lab-per-file.ts';
import { botLevers, expectMitigated, expectNoOrderLost, expectRestored, labReport } from './helpers/lab-expectations.ts';
import { expectGraded } from './helpers/lab-graded.ts';
import { beforeFault, duringFault, playWithBot, story } from './helpers/lab-with-bot.ts';
import { allLabs } from './helpers/lab-selection.ts';
import { median, promValue } from './helpers/prometheus-value.ts';

const scenario = 'lab1-high-latency';
const checkoutP95 = 'service_route:http_request_duration_seconds:p95_1m{service="api",method="POST",route="/api/orders"}';

// Only with FIREDRILL_ALL_LABS=1: CI plays Lab 1 through the console instead, a trainee in a browser
// pulling the same lever (console/test/console-lab1.int.test.ts, graded the same way).
describe.skipIf(!allLabs)(`${scenario} with the bot`, () => {
  // Inside the skipped block: a lab that is not played starts nothing.
  const currentLab = nativeLabPerFile();

  it('when payments 2.4.0 adds 500 ms per charge, then checkout p95 rises by about that, the latency alert fires, the bot rolls payments back and the run resolves', async () => {
    const lab = currentLab();
    const play = await playWithBot(lab, scenario, { sample: () => promValue(lab, checkoutP95), timeoutMs: 420_000 });

    expectMitigated(play, scenario);

    await expectGraded(lab, play);
    expect(
      botLevers(play.events).map((e) => e.data.lever),
      story(play),
    ).toContain('rollback payments');
    // The curriculum's symptom: checkout's p95 up by ~500 ms while the release ran.
    const steady = median(beforeFault(play));
    expect(Math.max(...duringFault(play)) - steady, `steady p95 ${steady}\n${story(play)}`).toBeGreaterThan(0.4);

    const orders = await expectNoOrderLost(lab, play);
    await expectRestored(lab, play.run.id);
    console.info(labReport(scenario, play, orders));
  }, 600_000);
});
