import { portsFor } from '@firedrill/lab-infra';
import { describe, expect, it } from 'vitest';
import { LabRefusal } from '../cli/command.ts';
import { labUrlsOf, loadBot } from './bot-trainee.ts';

describe('the bot trainee, for --bot', () => {
  it('when the training package exports no runBot, then loading it refuses with a message that says what to do instead', async () => {
    const loading = loadBot(async () => ({ startTraining: () => undefined }));

    await expect(loading).rejects.toBeInstanceOf(LabRefusal);
    await expect(loading).rejects.toThrow(
      '--bot: this lab has no bot trainee (@firedrill/training exports no runBot); run without --bot and pull the levers yourself',
    );
  });

  it('when the training package exports runBot, then that function is what --bot runs', async () => {
    const runBot = async () => 'worked';

    expect(await loadBot(async () => ({ runBot }))).toBe(runBot);
  });

  it("when the bot is given the lab's URLs, then they are the running lab's ports: the shop, alerts, levers and Prometheus", () => {
    expect(labUrlsOf(portsFor(7500))).toEqual({
      api: 'http://127.0.0.1:7500',
      payments: 'http://127.0.0.1:7501',
      worker: 'http://127.0.0.1:7502',
      chaos: 'http://127.0.0.1:7503',
      training: 'http://127.0.0.1:7504',
      prometheus: 'http://127.0.0.1:7590',
      alertmanager: 'http://127.0.0.1:7593',
    });
  });
});
