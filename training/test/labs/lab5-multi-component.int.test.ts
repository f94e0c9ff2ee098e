/**
 * Lab 5 (several things wrong at once) end to end with the bot trainee, on a native lab of its
 * own: a batch job fills Redis to its maxmemory, every enqueue of a paid order is refused, and the
 * outbox backs up. The bot reads Redis' memory against its limit, frees room, the outbox drains
 * and the run resolves with nothing left behind.
 */
import { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { nativeLabPerFile } from './helpers/native-lab-per-file.ts';
import { expectMitigated, expectNoOrderLost, expectRestored, labReport } from './helpers/lab-expectations.ts';
import { expectGraded } from './helpers/lab-graded.ts';
import { duringFault, playWithBot, story } from './helpers/lab-with-bot.ts';
import { promValue } from './helpers/prometheus-value.ts';

const scenario = 'lab5-multi-component';

const currentLab = nativeLabPerFile();

describe(`${scenario} with the bot`, () => {
  it('when Redis is full, then the outbox backs up, an expected alert fires, the bot frees room in Redis and the run resolves', async () => {
    const lab = currentLab();
    const redis = new Redis(lab.redisUrl(), { lazyConnect: true });
    const maxmemory = async () => ((await redis.config('GET', 'maxmemory')) as string[])[1];
    await redis.connect();
    const maxmemoryBefore = await maxmemory();

    const play = await playWithBot(lab, scenario, {
      sample: () => promValue(lab, 'service:shop_outbox_oldest_age_seconds:max{service="api"}'),
      timeoutMs: 420_000,
    });

    expectMitigated(play, scenario);

    await expectGraded(lab, play);
    // The curriculum's symptom: paid orders stop reaching the queue (the outbox's oldest waits).
    expect(Math.max(...duringFault(play)), story(play)).toBeGreaterThan(15);

    const orders = await expectNoOrderLost(lab, play);
    await expectRestored(lab, play.run.id);
    // Redis too: the fault's end puts its limit back, whatever the bot raised it to meanwhile.
    expect(await maxmemory()).toBe(maxmemoryBefore);
    await redis.quit();
    console.info(labReport(scenario, play, orders));
  }, 600_000);
});
