import type { AlertRecord } from '@firedrill/chaos';

/** The chaos controller refused or could not be reached; `status` is its HTTP answer (0: no answer). */
export class ChaosError extends Error {
  override name = 'ChaosError';
  readonly status: number;
  constructor(status: number, message: string) {
    super(message);
    this.status = status;
  }
}

export interface ActiveFault {
  id: string;
  family: string;
  target?: string;
  /** The class's team whose shop the fault acts on; absent: the single lab's shop. */
  team?: string;
  release?: { service: string; version: string };
}

/**
 * The chaos controller's instructor API, as a run uses it: faults stay the controller's, and the
 * run injects and clears them here. `actor` names the run in the controller's journal.
 */
export function createChaosClient(baseUrl: string, token: string, timeoutMs = 15_000) {
  const call = async <T>(method: string, path: string, options: { body?: unknown; actor?: string } = {}): Promise<T> => {
    let response: Response;
    try {
      response = await fetch(`${baseUrl}${path}`, {
        method,
        signal: AbortSignal.timeout(timeoutMs),
        headers: {
          authorization: `Bearer ${token}`,
          ...(options.actor && { 'x-firedrill-actor': options.actor }),
          ...(options.body !== undefined && { 'content-type': 'application/json' }),
        },
        ...(options.body !== undefined && { body: JSON.stringify(options.body) }),
      });
    } catch (err) {
      throw new ChaosError(0, `the chaos controller at ${baseUrl} does not answer: ${(err as Error).message}`);
    }
    const answer = (await response.json().catch(() => ({}))) as { detail?: string };
    if (!response.ok) throw new ChaosError(response.status, `chaos controller: ${method} ${path} answered ${response.status}: ${answer.detail ?? ''}`);
    return answer as T;
  };

  return {
    activeFaults: async () => (await call<{ faults: ActiveFault[] }>('GET', '/api/faults')).faults,
    /** `fault` is a catalogue spec (family + settings, optionally `release`); `forSeconds` bounds it. */
    inject: (fault: Record<string, unknown>, forSeconds: number, actor: string) =>
      call<ActiveFault>('POST', '/api/faults', { body: { ...fault, for: forSeconds }, actor }),
    /** Clears a fault; one already gone (expired, halted) is fine. */
    async clear(id: string, actor: string): Promise<boolean> {
      try {
        await call('DELETE', `/api/faults/${encodeURIComponent(id)}`, { actor });
        return true;
      } catch (err) {
        if (err instanceof ChaosError && err.status === 404) return false;
        throw err;
      }
    },
    clearRelease: async (service: string, actor: string) =>
      (await call<{ cleared: ActiveFault[] }>('POST', '/api/faults/clear-release', { body: { service }, actor })).cleared.map((f) => f.id),
    halt: (actor: string) => call<{ cleared: number }>('POST', '/api/halt', { actor }),
    /** Alerts as Alertmanager reported them (open route; names symptoms only). */
    alerts: async () => (await call<{ alerts: AlertRecord[] }>('GET', '/api/alerts?limit=200')).alerts,
  };
}

export type ChaosClient = ReturnType<typeof createChaosClient>;
