/**
 * The retry-storm war story end to end with the bot trainee, on a native lab of its own: the
 * api's payment retries raised to 8 with almost no backoff, then a brief payments slowdown. Each
 * checkout calls payments many times; the bot sees calls per charge against the raised retries,
 * puts them back (or opens the circuit breaker), and the run resolves with nothing left behind.
 */
import { describe, expect, it } from 'vitest';
import { allLabs } from './helpers/lab-selection.ts';
import { nativeLabPerFile } from './helpers/native-lab-per-file.ts';
import { expectMitigated, expectNoOrderLost, expectRestored, labReport } from './helpers/lab-expectations.ts';
import { expectGraded } from './helpers/lab-graded.ts';
import { duringFault, playWithBot, story } from './helpers/lab-with-bot.ts';
import { promValue } from './helpers/prometheus-value.ts';

const scenario = 'warstory-retry-storm';
/** The api's own count of calls to payments per charge (what a trainee reads on the payments dashboard). */
const callsPerCharge = 'sum(rate(shop_payment_charge_attempts_sum[1m])) / sum(rate(shop_payment_charge_attempts_count[1m]))';

// Only with FIREDRILL_ALL_LABS=1: a war story beyond the Day 4 curriculum, and 3.5 minutes CI's
// 45 cannot spare since the class walk joined (its alerts stay covered by the promtool tests).
describe.skipIf(!allLabs)(`${scenario} with the bot`, () => {
  // Inside the skipped block: a lab that is not played starts nothing.
  const currentLab = nativeLabPerFile();

  it('when retries are raised to 8 and payments slows down, then each charge calls payments more than 1.5 times, an expected alert fires, the bot ends the storm and the run resolves', async () => {
    const lab = currentLab();
    const play = await playWithBot(lab, scenario, { sample: () => promValue(lab, callsPerCharge), timeoutMs: 480_000 });

    expectMitigated(play, scenario);

    await expectGraded(lab, play);
    // The war story's symptom: the retries multiply the calls each charge makes to payments,
    // past the runbook's 1.5 (what the shop's own 3 retries cost against a failing gateway).
    expect(Math.max(...duringFault(play)), story(play)).toBeGreaterThan(1.5);

    const orders = await expectNoOrderLost(lab, play);
    await expectRestored(lab, play.run.id);
    console.info(labReport(scenario, play, orders));
  }, 600_000);
});
