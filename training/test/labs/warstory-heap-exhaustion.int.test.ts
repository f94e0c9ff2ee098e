/**
 * The heap-exhaustion war story end to end with the bot trainee, on a native lab of its own: api
 * 2.5.0 caches without eviction, its heap climbs to the limit and the process dies, again and
 * again. Restarting the api is the tempting lever: it gives the memory back and the climb starts
 * over. The test shows that it did not end the incident, and that the rollback did.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startNativeLab, type NativeLab } from '@firedrill/lab-infra';
import { botLevers, expectMitigated, expectNoOrderLost, expectRestored, labReport } from './helpers/lab-expectations.ts';
import { duringFault, playWithBot, story } from './helpers/lab-with-bot.ts';
import { promValue } from './helpers/prometheus-value.ts';

const scenario = 'warstory-heap-exhaustion';

// Skipped until the lab pages for it: the leaking api runs out of heap and the supervisor restarts
// it within seconds, so ApiHighLatencyP95 never fires, no other alert pages, and the bot (which
// acts on a page) never starts; the run can only time out. It needs an alert for an api that keeps
// restarting, and a heap slope in the bot's observer that survives restarts (deriv over 2 m of a
// sawtooth that resets every ~70 s is no slope). Measured on a native lab, see the README.
describe.skip(`${scenario} with the bot`, () => {
  let lab: NativeLab;

  beforeAll(async () => {
    lab = await startNativeLab();
  }, 150_000);

  afterAll(async () => {
    await lab?.down();
  }, 120_000);

  it('when api 2.5.0 leaks memory, then the heap climbs, an expected alert fires, restarting the api does not end it, rolling back does, and the run resolves', async () => {
    const play = await playWithBot(lab, scenario, {
      sample: () => promValue(lab.url('prometheus'), 'max(nodejs_heap_size_used_bytes{service="api"})'),
      timeoutMs: 540_000,
    });

    expectMitigated(play, scenario);
    // The war story's symptom: the api's heap climbing far past its ~60 MB.
    expect(Math.max(...duringFault(play)), story(play)).toBeGreaterThan(100 * 2 ** 20);

    // The tempting lever: pulled, recorded as easing only, and the cause still there after it.
    const levers = botLevers(play.events);
    const restart = levers.find((e) => e.data.lever === 'restart api');
    const rollback = levers.find((e) => e.data.lever === 'rollback api');
    expect(restart?.data.matched, story(play)).toBe('eases');
    expect(rollback?.data.matched, story(play)).toBe('ends');
    expect(restart!.id).toBeLessThan(rollback!.id);
    const ended = play.events.find((e) => e.kind === 'cause.ended');
    expect(ended?.data, story(play)).toMatchObject({ by: 'lever', leverEventId: rollback!.id });
    // After the restart the heap climbed past the leak's floor again before the rollback.
    const restartAt = Date.parse(restart!.at);
    const rollbackAt = Date.parse(rollback!.at);
    const between = play.samples.filter((s) => s.at > restartAt && s.at < rollbackAt).map((s) => s.value);
    expect(Math.max(0, ...between), story(play)).toBeGreaterThan(100 * 2 ** 20);

    const orders = await expectNoOrderLost(lab, play);
    await expectRestored(lab, play.run.id);
    console.info(labReport(scenario, play, orders));
  }, 600_000);
});
