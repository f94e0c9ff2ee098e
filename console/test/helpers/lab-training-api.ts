import type { NativeLab } from '@firedrill/lab-infra';

/** A run's event as the training API answers it (runs-contract's eventSchema). */
export interface LabEvent {
  id: number;
  at: string;
  kind: string;
  actor: string;
  data: Record<string, unknown>;
  visibility: 'everyone' | 'instructor';
}

/**
 * The lab's training API as the instructor, straight (not through the console): what the tests
 * use to know where the run is — its state and its events — so they wait on the lab's own record
 * rather than on what a page draws.
 */
export function labTrainingApi(lab: NativeLab) {
  const call = async <T>(method: string, route: string, body?: unknown): Promise<{ status: number; body: T }> => {
    const response = await fetch(`${lab.url('training')}${route}`, {
      method,
      headers: {
        authorization: `Bearer ${lab.instructorToken}`,
        'x-firedrill-actor': 'console-e2e-test',
        ...(body !== undefined && { 'content-type': 'application/json' }),
      },
      ...(body !== undefined && { body: JSON.stringify(body) }),
    });
    return { status: response.status, body: (await response.json()) as T };
  };
  const api = {
    call,
    runs: async () => (await call<{ runs: Array<{ id: string; scenario: string | null; team: string | null; state: string }> }>('GET', '/api/runs')).body.runs,
    run: async (id: string) => (await call<{ id: string; state: string; reason: string | null }>('GET', `/api/runs/${id}`)).body,
    /** Every event of the run so far, instructor-only ones included. */
    async events(id: string): Promise<LabEvent[]> {
      const all: LabEvent[] = [];
      for (;;) {
        const page = (await call<{ events: LabEvent[] }>('GET', `/api/runs/${id}/events?after=${all.at(-1)?.id ?? 0}`)).body.events;
        if (page.length === 0) return all;
        all.push(...page);
      }
    },
    /** Follows the run's events with the API's long poll until one matches. */
    async waitForEvent(id: string, match: (event: LabEvent) => boolean, timeoutMs: number, after = 0): Promise<LabEvent> {
      const deadline = Date.now() + timeoutMs;
      let last = after;
      while (Date.now() < deadline) {
        const { body } = await call<{ events: LabEvent[] }>('GET', `/api/runs/${id}/events?after=${last}&waitMs=5000`);
        for (const event of body.events) {
          if (match(event)) return event;
          last = event.id;
        }
      }
      throw new Error(`no matching event of run ${id} within ${timeoutMs} ms; the run is ${(await api.run(id)).state}`);
    },
  };
  return api;
}
