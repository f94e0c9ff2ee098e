import { describe, expect, it } from 'vitest';
import type { BotRunbookOutcome } from './bot-runbooks.ts';
import type { RunView } from './observations.ts';
import { respond, type ResponderDeps } from './respond.ts';
import type { RunbookChoice } from './runbook-choice.ts';
import { healthyMetrics, page } from './test-observations.ts';
import type { IncidentView } from './trainee-clients.ts';

/** A lab that pages for Lab 4's dead worker, runs runbooks and takes incident commands as the fakes say. */
function fakeLab(options: { refuse?: boolean; runStates?: string[]; holding?: boolean }) {
  const ran: RunbookChoice[] = [];
  const commands: Array<{ name: string; body: Record<string, unknown> | undefined }> = [];
  const submitted: string[] = [];
  const states = [...(options.runStates ?? [])];
  const view: IncidentView = {
    status: 'open',
    pages: [{ at: new Date().toISOString(), alertname: 'WorkerHeartbeatAbsent' }],
    acknowledged: null,
    incident: null,
  };
  const deps: Omit<ResponderDeps, 'signal' | 'log'> = {
    clients: {
      firingAlerts: async () => [page('WorkerHeartbeatAbsent', Date.now())],
      releases: async () => [],
      flags: async () => ({}),
      incidentStatus: async () => view,
      incidentCommand: async (name, body) => {
        commands.push({ name, body });
        if (name === 'ack') view.acknowledged = { at: new Date().toISOString() };
        return view;
      },
      pirDraft: async () => ({ markdown: '# Post-incident review\n\n## Summary\n\nTODO(team): in one or two sentences\n' }),
      pirCheck: async () => ({ findings: [], score: 100 }),
      pirSubmit: async (markdown) => {
        submitted.push(markdown);
        return { id: 'pir-1', score: 100, findings: [] };
      },
    },
    runRunbook: async (choice): Promise<BotRunbookOutcome> => {
      ran.push(choice);
      if (options.refuse)
        return {
          runbook: choice.runbook,
          ok: false,
          failedStep: 'restart the worker',
          steps: [{ name: 'restart the worker', status: 'failed', output: '409 nothing' }],
          problems: [],
          acted: true,
        };
      return {
        runbook: choice.runbook,
        ok: true,
        failedStep: undefined,
        steps: [{ name: 'restart the worker', status: 'passed', output: 'restarted' }],
        problems: [],
        acted: true,
      };
    },
    runStatus: async (): Promise<RunView> => ({ state: states.shift() ?? 'live', holdingForMs: options.holding ? 10_000 : 0, probes: [] }),
    metrics: { observe: async () => ({ ...healthyMetrics, workerHeartbeatAgeSeconds: undefined, queueBacklog: 40 }) },
    since: 0,
    roundMs: 1,
    policy: { graceMs: 60_000 },
  };
  return { deps, ran, commands, submitted };
}

describe('the respond loop', () => {
  it('when the run ends after a runbook, then it resolves with the run state, the one runbook run, and the incident closed and reviewed', async () => {
    const { deps, ran, commands, submitted } = fakeLab({ runStates: ['live', 'live', 'live', 'resolved'] });
    const lines: string[] = [];
    const outcome = await respond({ ...deps, signal: new AbortController().signal, log: (l) => lines.push(l) });
    expect(outcome).toMatchObject({ ended: 'resolved', pulls: [{ lever: 'restart worker' }], pirScore: 100 });
    expect(ran).toEqual([{ runbook: 'worker-restart', params: {} }]);
    expect(lines).toContain('  worker-restart: restart the worker passed: restarted');
    // The incident in the playbook's order: ack, declare, roles, first update; at the end mitigated, resolve, resolution.
    expect(commands.map((c) => c.name)).toEqual(['ack', 'declare', 'role', 'role', 'update', 'mitigated', 'resolve', 'update']);
    expect(commands.find((c) => c.name === 'resolve')?.body).toMatchObject({ category: 'software-defect' });
    expect(commands.filter((c) => c.name === 'update').map((c) => c.body?.kind)).toEqual(['ack', 'resolution']);
    expect(submitted).toHaveLength(1);
    expect(submitted[0]).not.toContain('TODO(team)');
    // No label of its own: the CLI's views add "bot:" once.
    expect(lines.filter((l) => l.startsWith('bot:'))).toEqual([]);
  });

  it('when a runbook fails at its lever, then the failure is logged and the same runbook is not run again', async () => {
    const { deps, ran } = fakeLab({ refuse: true, runStates: ['live', 'live', 'live', 'live', 'stopped'] });
    const lines: string[] = [];
    const outcome = await respond({ ...deps, signal: new AbortController().signal, log: (l) => lines.push(l) });
    expect(outcome.ended).toBe('stopped');
    expect(ran.map((r) => r.runbook)).toEqual(['worker-restart']);
    expect(lines.join('\n')).toMatch(/restart the worker failed: 409 nothing/);
  });

  it('when the signal aborts before the run ends, then it resolves as aborted', async () => {
    const { deps } = fakeLab({});
    const controller = new AbortController();
    const running = respond({ ...deps, roundMs: 50, signal: controller.signal, log: () => {} });
    controller.abort();
    await expect(running).resolves.toMatchObject({ ended: 'aborted' });
  });
});
