import type { LabConfig } from '../config/lab-config.ts';
import type { LabState } from './lab-state.ts';
import { readSupervisorToken } from './supervisor-token.ts';
import type { ProcessStatus } from './supervised-process.ts';

export class ControlError extends Error {
  override name = 'ControlError';
  readonly status: number;
  constructor(status: number, message: string) {
    super(message);
    this.status = status;
  }
}

/**
 * The CLI's side of the supervisor's control API. The token is read from the state dir at each
 * call, so a user who may not read it gets a clear error from the call, not from building the client.
 */
export function controlClient(state: Pick<LabState, 'controlPort'>, config: Pick<LabConfig, 'stateDir'>, timeoutMs = 5_000) {
  const base = `http://127.0.0.1:${state.controlPort}`;
  const call = async <T>(method: string, path: string, requestTimeoutMs = timeoutMs, payload?: unknown, withToken = true): Promise<T> => {
    const authorization = withToken ? { authorization: `Bearer ${readSupervisorToken(config)}` } : {};
    const response = await fetch(`${base}${path}`, {
      method,
      signal: AbortSignal.timeout(requestTimeoutMs),
      headers: { ...authorization, ...(payload !== undefined && { 'content-type': 'application/json' }) },
      ...(payload !== undefined && { body: JSON.stringify(payload) }),
    });
    const body = (await response.json().catch(() => ({}))) as { detail?: string };
    if (!response.ok) throw new ControlError(response.status, body.detail ?? `${method} ${path} answered ${response.status}`);
    return body as T;
  };
  return {
    // Open to every local user (control-server.ts): a trainee's `lab status` works without the token.
    status: () => call<{ supervisor: { pid: number; shuttingDown: boolean }; services: ProcessStatus[] }>('GET', '/status', timeoutMs, undefined, false),
    restart: (name: string) => call<ProcessStatus>('POST', `/restart/${encodeURIComponent(name)}`, 30_000),
    deploy: (name: string, version: string) =>
      call<{ name: string; version: string; processes: ProcessStatus[] }>('POST', `/deploy/${encodeURIComponent(name)}`, 60_000, { version }),
    scale: (name: string, count: number) =>
      call<{ name: string; count: number; processes: ProcessStatus[] }>('POST', `/scale/${encodeURIComponent(name)}`, 60_000, { count }),
    shutdown: () => call<{ status: string }>('POST', '/shutdown'),
  };
}
