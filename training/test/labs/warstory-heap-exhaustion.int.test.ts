/**
 * The heap-exhaustion war story end to end with the bot trainee, on a native lab of its own: api
 * 2.5.0 caches without eviction, its heap climbs to the limit and the process dies, again and
 * again, each time started again by the lab's supervisor. ServiceRestartingUnexpectedly pages
 * (starts no deploy or rollback explains). Restarting the api is the tempting lever: it gives the
 * memory back and the climb starts over. The test shows that it did not end the incident, and that
 * the rollback did.
 */
import { describe, expect, it } from 'vitest';
import { botLevers, expectMitigated, expectNoOrderLost, expectRestored, labReport } from './helpers/lab-expectations.ts';
import { expectGraded } from './helpers/lab-graded.ts';
import { duringFault, playWithBot, story } from './helpers/lab-with-bot.ts';
import { nativeLabPerFile } from './helpers/native-lab-per-file.ts';
import { promValue } from './helpers/prometheus-value.ts';

const scenario = 'warstory-heap-exhaustion';
const MB = 2 ** 20;

// The only lab of the memory-leak family, so CI runs it by default (helpers/lab-selection.ts).
const currentLab = nativeLabPerFile();

describe(`${scenario} with the bot`, () => {
  it('when api 2.5.0 leaks memory, then the api dies again and again, the restart alert pages, restarting the api does not end it, rolling back does, and the run resolves', async () => {
    const lab = currentLab();
    const play = await playWithBot(lab, scenario, {
      sample: () => promValue(lab, 'max(nodejs_heap_size_used_bytes{service="api"})'),
      timeoutMs: 540_000,
    });

    expectMitigated(play, scenario);
    const fired = play.events.filter((e) => e.kind === 'alert.fired').map((e) => e.data);
    expect(fired, story(play)).toContainEqual(expect.objectContaining({ alertname: 'ServiceRestartingUnexpectedly' }));
    // The war story's symptom: the api's heap climbing far past its ~60 MB.
    expect(Math.max(...duringFault(play)), story(play)).toBeGreaterThan(100 * MB);

    // The tempting lever: pulled, recorded as easing only, and the cause still there after it.
    const levers = botLevers(play.events);
    const restart = levers.find((e) => e.data.lever === 'restart api');
    const rollback = levers.find((e) => e.data.lever === 'rollback api');
    expect(restart?.data.matched, story(play)).toBe('eases');
    expect(rollback?.data.matched, story(play)).toBe('ends');
    expect(restart!.id).toBeLessThan(rollback!.id);
    const ended = play.events.filter((e) => e.kind === 'cause.ended');
    expect(ended, story(play)).toHaveLength(1);
    expect(ended[0]?.data, story(play)).toMatchObject({ by: 'lever', leverEventId: rollback!.id });
    // After the restart the heap climbed past the leak's floor again before the rollback.
    const restartAt = Date.parse(restart!.at);
    const rollbackAt = Date.parse(rollback!.at);
    const between = play.samples.filter((s) => s.at > restartAt + 5_000 && s.at < rollbackAt).map((s) => s.value);
    expect(Math.max(0, ...between), story(play)).toBeGreaterThan(100 * MB);

    await expectGraded(lab, play);
    const orders = await expectNoOrderLost(lab, play);
    await expectRestored(lab, play.run.id);
    console.info(labReport(scenario, play, orders));
  }, 600_000);
});
