import { describe, expect, it } from 'vitest';
import type { ProcessStatus } from './supervised-process.ts';
import { statusJson, statusTable } from './status-report.ts';

const api: ProcessStatus = {
  name: 'api',
  kind: 'service',
  team: null,
  url: 'http://127.0.0.1:7400',
  port: 7400,
  pid: 4242,
  state: 'running',
  healthy: true,
  uptimeSeconds: 75,
  restarts: 0,
  version: '2.3.0',
  logFile: '/lab/logs/api.log',
  lastExit: null,
  nextRestartAt: null,
};
const worker: ProcessStatus = {
  ...api,
  name: 'worker',
  url: 'http://127.0.0.1:7402',
  port: 7402,
  pid: null,
  state: 'exited',
  healthy: false,
  uptimeSeconds: null,
  restarts: 2,
  version: '2.4.0',
};

describe('statusJson', () => {
  it('when asked for JSON, then each process has exactly name, url, pid, port, healthy, uptimeSeconds, restarts and version', () => {
    expect(statusJson([api, worker])).toEqual({
      services: [
        { name: 'api', url: 'http://127.0.0.1:7400', pid: 4242, port: 7400, healthy: true, uptimeSeconds: 75, restarts: 0, version: '2.3.0' },
        { name: 'worker', url: 'http://127.0.0.1:7402', pid: null, port: 7402, healthy: false, uptimeSeconds: null, restarts: 2, version: '2.4.0' },
      ],
    });
  });
});

describe('statusTable', () => {
  it('when a service exited on purpose, then the table says it is down rather than crashed', () => {
    const table = statusTable([api, worker]);
    expect(table).toMatch(/^api\s+healthy\s+4242\s+1m15s\s+0\s+2\.3\.0\s+http:\/\/127\.0\.0\.1:7400$/m);
    expect(table).toMatch(/^worker\s+down \(exited 0\)\s+-\s+-\s+2\s+2\.4\.0\s+/m);
  });

  it('when a service is waiting out its backoff, then the table says when it restarts', () => {
    const crashed: ProcessStatus = { ...api, state: 'backoff', pid: null, healthy: false, nextRestartAt: new Date(10_000).toISOString() };
    expect(statusTable([crashed], 6_000)).toContain('crashed, restart in 4 s');
  });

  it('when the lab runs a class, then each team’s shop is listed under its team, then what the teams share', () => {
    const blueApi = { ...api, name: 'blue-api', team: 'blue' };
    const greenApi = { ...api, name: 'green-api', team: 'green', url: 'http://127.0.0.1:7600' };
    const postgres = { ...api, name: 'postgres', kind: 'infrastructure' as const, version: null };
    const lines = statusTable([blueApi, greenApi, postgres]).split('\n');
    expect(lines[0]).toMatch(/^NAME\s+STATE/);
    expect(lines.slice(1).filter((l) => !/^\S+-api|^postgres/.test(l))).toEqual(['', 'team blue', '', 'team green', '', 'shared by every team']);
    expect(lines.indexOf('team blue')).toBeLessThan(lines.findIndex((l) => l.startsWith('blue-api')));
    expect(lines.findIndex((l) => l.startsWith('blue-api'))).toBeLessThan(lines.indexOf('team green'));
    expect(lines.indexOf('shared by every team')).toBeLessThan(lines.findIndex((l) => l.startsWith('postgres')));
    expect(statusJson([blueApi, postgres]).services.map((s) => s.team)).toEqual(['blue', undefined]);
  });
});
