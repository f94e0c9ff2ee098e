import { describe, expect, it } from 'vitest';
import type { RunView } from './observations.ts';
import { respond, type ResponderDeps } from './respond.ts';
import { healthyMetrics, page } from './test-observations.ts';

/** A lab that pages for Lab 4's dead worker and answers levers as the fakes say. */
function fakeLab(options: { refuse?: boolean; runStates?: string[] }) {
  const pulled: string[] = [];
  const states = [...(options.runStates ?? [])];
  const deps: Omit<ResponderDeps, 'signal' | 'log'> = {
    clients: {
      firingAlerts: async () => [page('WorkerHeartbeatAbsent', Date.now())],
      releases: async () => [],
      flags: async () => ({}),
      pullLever: async (lever) => {
        pulled.push(lever);
        if (options.refuse) throw new Error('409 nothing_to_roll_back');
        return { lever, summary: `did ${lever}` };
      },
    },
    runStatus: async (): Promise<RunView> => ({ state: states.shift() ?? 'live', holdingForMs: 0, probes: [] }),
    metrics: { observe: async () => ({ ...healthyMetrics, workerHeartbeatAgeSeconds: undefined, queueBacklog: 40 }) },
    since: 0,
    roundMs: 1,
    policy: { graceMs: 60_000 },
  };
  return { deps, pulled };
}

describe('the respond loop', () => {
  it('when the run ends after a lever, then it resolves with the run state and the one lever pulled', async () => {
    const { deps, pulled } = fakeLab({ runStates: ['live', 'live', 'live', 'resolved'] });
    const lines: string[] = [];
    const outcome = await respond({ ...deps, signal: new AbortController().signal, log: (l) => lines.push(l) });
    expect(outcome).toMatchObject({ ended: 'resolved', pulls: [{ lever: 'restart worker' }] });
    expect(pulled).toEqual(['restart worker']);
    expect(lines).toContain('  did restart worker');
    // No label of its own: the CLI's views add "bot:" once.
    expect(lines.filter((l) => l.startsWith('bot:'))).toEqual([]);
    // A wait is logged once, not every round.
    expect(lines.filter((l) => l.startsWith('giving'))).toHaveLength(1);
  });

  it('when a lever is refused, then the refusal is logged and the same lever is not pulled again', async () => {
    const { deps, pulled } = fakeLab({ refuse: true, runStates: ['live', 'live', 'live', 'live', 'stopped'] });
    const lines: string[] = [];
    const outcome = await respond({ ...deps, signal: new AbortController().signal, log: (l) => lines.push(l) });
    expect(outcome.ended).toBe('stopped');
    expect(pulled).toEqual(['restart worker']);
    expect(lines.join('\n')).toMatch(/refused: 409 nothing_to_roll_back/);
  });

  it('when the signal aborts before the run ends, then it resolves as aborted', async () => {
    const { deps } = fakeLab({});
    const controller = new AbortController();
    const running = respond({ ...deps, roundMs: 50, signal: controller.signal, log: () => {} });
    controller.abort();
    await expect(running).resolves.toMatchObject({ ended: 'aborted' });
  });
});
