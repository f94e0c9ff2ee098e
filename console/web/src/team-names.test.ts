import { describe, expect, it } from 'vitest';
import type { IncidentView } from './incident-types.ts';
import { teamNames } from './team-names.ts';

describe("the role form's names", () => {
  it('when the timeline and the incident name trainees, then the picker offers each once, sorted, and never the instructor or a lab process', () => {
    const events = [
      { id: 1, at: '2026-01-01T10:00:00.000Z', actor: 'trainee:grace', kind: 'incident.acknowledged' },
      { id: 2, at: '2026-01-01T10:00:01.000Z', actor: 'instructor', kind: 'run.started' },
      { id: 3, at: '2026-01-01T10:00:02.000Z', actor: 'lab', kind: 'alert.firing' },
      { id: 4, at: '2026-01-01T10:00:03.000Z', actor: 'trainee:ada', kind: 'incident.note' },
    ];
    const view = {
      acknowledged: { at: '2026-01-01T10:00:00.000Z', actor: 'trainee:grace' },
      incident: {
        roles: { ic: 'linus', ops: null, comms: 'ada', scribe: null },
        updates: [{ at: '2026-01-01T10:01:00.000Z', actor: 'trainee:margaret', kind: 'ack', text: 'x', impact: null, nextUpdateMinutes: 15 }],
        notes: [],
      },
    } as unknown as IncidentView;
    expect(teamNames(events, view)).toEqual(['ada', 'grace', 'linus', 'margaret']);
    expect(teamNames([], null)).toEqual([]);
  });
});
