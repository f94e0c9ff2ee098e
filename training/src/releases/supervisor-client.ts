/** One process as the lab supervisor's GET /status reports it (the fields training reads). */
export interface SupervisedProcessStatus {
  name: string;
  pid: number | null;
  state: string;
  healthy: boolean;
  version?: string | null;
}

/** The supervisor refused or could not be reached; `status` is its HTTP answer (0: no answer). */
export class SupervisorError extends Error {
  override name = 'SupervisorError';
  readonly status: number;
  constructor(status: number, message: string) {
    super(message);
    this.status = status;
  }
}

/**
 * The lab supervisor's control API (lab/src/supervisor/control-server.ts), on loopback: restart,
 * deploy and scale act on the processes it runs. Only the native lab has a supervisor. Every call
 * carries the supervisor's token (SUPERVISOR_TOKEN_FILE): the control port refuses anyone without it.
 */
export function createSupervisorClient(baseUrl: string, token: string, timeoutMs = 30_000) {
  const call = async <T>(method: string, path: string, body?: unknown): Promise<T> => {
    let response: Response;
    try {
      response = await fetch(`${baseUrl}${path}`, {
        method,
        signal: AbortSignal.timeout(timeoutMs),
        headers: { authorization: `Bearer ${token}`, ...(body !== undefined && { 'content-type': 'application/json' }) },
        ...(body !== undefined && { body: JSON.stringify(body) }),
      });
    } catch (err) {
      throw new SupervisorError(0, `the lab supervisor at ${baseUrl} does not answer: ${(err as Error).message}`);
    }
    const answer = (await response.json().catch(() => ({}))) as { detail?: string };
    if (!response.ok) throw new SupervisorError(response.status, answer.detail ?? `${method} ${path} answered ${response.status}`);
    return answer as T;
  };
  return {
    status: () => call<{ services: SupervisedProcessStatus[] }>('GET', '/status'),
    restart: (name: string) => call<SupervisedProcessStatus>('POST', `/restart/${encodeURIComponent(name)}`),
    deploy: (name: string, version: string) => call<SupervisedProcessStatus>('POST', `/deploy/${encodeURIComponent(name)}`, { version }),
    scale: (name: string, count: number) =>
      call<{ name: string; count: number; processes: SupervisedProcessStatus[] }>('POST', `/scale/${encodeURIComponent(name)}`, { count }),
  };
}

export type SupervisorClient = ReturnType<typeof createSupervisorClient>;
