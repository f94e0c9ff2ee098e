import type { LabState } from './lab-state.ts';
import type { ProcessStatus } from './supervised-process.ts';

export class ControlError extends Error {
  override name = 'ControlError';
  readonly status: number;
  constructor(status: number, message: string) {
    super(message);
    this.status = status;
  }
}

/** The CLI's side of the supervisor's control API. */
export function controlClient(state: Pick<LabState, 'controlPort'>, timeoutMs = 5_000) {
  const base = `http://127.0.0.1:${state.controlPort}`;
  const call = async <T>(method: string, path: string, requestTimeoutMs = timeoutMs): Promise<T> => {
    const response = await fetch(`${base}${path}`, { method, signal: AbortSignal.timeout(requestTimeoutMs) });
    const body = (await response.json().catch(() => ({}))) as { detail?: string };
    if (!response.ok) throw new ControlError(response.status, body.detail ?? `${method} ${path} answered ${response.status}`);
    return body as T;
  };
  return {
    status: () => call<{ supervisor: { pid: number; shuttingDown: boolean }; services: ProcessStatus[] }>('GET', '/status'),
    restart: (name: string) => call<ProcessStatus>('POST', `/restart/${encodeURIComponent(name)}`, 30_000),
    shutdown: () => call<{ status: string }>('POST', '/shutdown'),
  };
}
