import type { StatusEntry } from '@firedrill/lab-infra';
import type { ProcessStatus } from './supervised-process.ts';

export type { StatusEntry };

export function statusJson(services: readonly ProcessStatus[]): { services: StatusEntry[] } {
  return {
    services: services.map((s) => ({
      name: s.name,
      ...(s.team !== null && { team: s.team }),
      url: s.url,
      pid: s.pid,
      port: s.port,
      healthy: s.healthy,
      uptimeSeconds: s.uptimeSeconds,
      restarts: s.restarts,
      version: s.version,
    })),
  };
}

/** `lab status` for people: one row per process, with what to look at when one is not well. */
export function statusTable(services: readonly ProcessStatus[], now = Date.now()): string {
  const rows = services.map((s) => [
    s.name,
    describeState(s, now),
    s.pid === null ? '-' : String(s.pid),
    s.uptimeSeconds === null ? '-' : formatDuration(s.uptimeSeconds),
    String(s.restarts),
    s.version ?? '-',
    s.url,
  ]);
  const header = ['NAME', 'STATE', 'PID', 'UPTIME', 'RESTARTS', 'VERSION', 'URL'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]!))).join('  ');
  if (services.every((s) => s.team === null)) return [line(header), ...rows.map(line)].join('\n');
  // A class (docs/decisions/0015): each team's shop under its name, then what the teams share.
  const groups = Map.groupBy(
    services.map((s, i) => ({ s, row: rows[i]! })),
    ({ s }) => s.team ?? '',
  );
  const out = [line(header)];
  for (const [team, members] of groups) {
    out.push('', team === '' ? 'shared by every team' : `team ${team}`, ...members.map(({ row }) => line(row)));
  }
  return out.join('\n');
}

function describeState(s: ProcessStatus, now: number): string {
  if (s.state === 'running' || s.state === 'starting') return s.healthy ? 'healthy' : s.state === 'starting' ? 'starting' : 'unhealthy';
  if (s.state === 'backoff' && s.nextRestartAt) return `crashed, restart in ${Math.max(0, Math.ceil((Date.parse(s.nextRestartAt) - now) / 1000))} s`;
  if (s.state === 'exited') return 'down (exited 0)';
  return s.state;
}

export function formatDuration(seconds: number): string {
  if (seconds < 60) return `${seconds}s`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)}m${String(seconds % 60).padStart(2, '0')}s`;
  return `${Math.floor(seconds / 3600)}h${String(Math.floor((seconds % 3600) / 60)).padStart(2, '0')}m`;
}
