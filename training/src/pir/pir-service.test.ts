import { describe, expect, it } from 'vitest';
import type { EventStore } from '../events/event-store.ts';
import type { Caller } from '../ops/identity.ts';
import { unknownFigures } from './impact-figures.ts';
import type { PirRun } from './pir-events.ts';
import { createPirService, respondersOf } from './pir-service.ts';
import type { NewPir, PirStore } from './pir-store.ts';

/** Who may draft and submit which run's review (the store and journal are stand-ins; pir.int.test.ts uses real ones). */
const ended: PirRun = {
  id: 'run-1',
  title: 'Lab 1',
  blind: false,
  state: 'resolved',
  liveAt: '2025-03-04T10:00:00.000Z',
  endedAt: '2025-03-04T10:20:00.000Z',
  team: 'red',
};
const runs: Record<string, PirRun> = { 'run-1': ended, 'run-noteam': { ...ended, id: 'run-noteam', team: null } };
const submitted: NewPir[] = [];
const store = {
  run: async (id: string) => runs[id],
  submit: async (pir: NewPir) => {
    submitted.push(pir);
    return {
      id: 'pir-1',
      runId: pir.runId,
      team: pir.team,
      score: pir.score,
      findings: pir.findings,
      submittedBy: pir.submittedBy,
      submittedAt: '2025-03-04T11:00:00.000Z',
    };
  },
} as unknown as PirStore;
const events = {
  list: async () => [
    {
      id: 1,
      at: '2025-03-04T10:05:00.000Z',
      runId: 'run-1',
      team: 'red',
      actor: 'trainee:ada',
      kind: 'incident.acknowledged',
      data: {},
      visibility: 'everyone',
    },
  ],
} as unknown as EventStore;
const service = createPirService({ store, events, figures: async () => unknownFigures('stand-in') });

const trainee = (team: string): Caller => ({ role: 'trainee', actor: 'trainee:ada', team, trainee: 'ada' });
const operator: Caller = { role: 'operator', actor: 'operator:ada', team: null, trainee: null };
const status = (promise: Promise<unknown>) =>
  promise.then(
    () => 200,
    (err: { status?: number }) => err.status,
  );

describe('createPirService', () => {
  it("when a trainee drafts or submits its own team's run, then it may; another team's run or a run with no team is 403", async () => {
    expect(await status(service.draft('run-1', trainee('red')))).toBe(200);
    expect(await status(service.draft('run-1', trainee('blue')))).toBe(403);
    expect(await status(service.submit('run-1', '# PIR', trainee('blue')))).toBe(403);
    expect(await status(service.draft('run-noteam', trainee('red')))).toBe(403);
  });

  it("when the operator submits, then the review is stored under the run's team, checked against the run's responders", async () => {
    submitted.length = 0;
    await service.submit('run-1', '# PIR\n\n## Summary\n\nThen Ada quickly broke checkout.\n', operator);
    expect(submitted[0]).toMatchObject({ runId: 'run-1', team: 'red', submittedBy: 'operator:ada' });
    expect(submitted[0]!.findings.map((f) => f.rule)).toContain('blame-name');
    expect(submitted[0]!.score).toBeLessThan(100);
  });

  it('when the run is unknown, then 404', async () => {
    expect(await status(service.draft('run-x', operator))).toBe(404);
  });

  it('when the journal names people, then the responders are the role holders and the people who acted, never the lab', () => {
    const journal = [
      { id: 1, at: '', kind: 'incident.role', actor: 'trainee:ada', data: { role: 'ops', trainee: 'grace' } },
      { id: 2, at: '', kind: 'alert.fired', actor: 'alertmanager', data: {} },
      { id: 3, at: '', kind: 'run.state', actor: 'scenario', data: {} },
      { id: 4, at: '', kind: 'lever.applied', actor: 'operator', data: {} },
    ];
    expect(respondersOf(journal).sort()).toEqual(['ada', 'grace']);
  });
});
