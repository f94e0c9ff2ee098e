import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadLabConfig } from '../config/lab-config.ts';
import { labProcesses } from './lab-processes.ts';
import { teamPrometheusTokenFile, traineeTeamPrometheusFiles } from './team-prometheus-tokens.ts';

const stateDir = mkdtempSync(path.join(os.tmpdir(), 'firedrill-team-gates-'));
afterAll(() => rmSync(stateDir, { recursive: true, force: true }));
const single = loadLabConfig({ LAB_PORT_BASE: '7400', LAB_STATE_DIR: path.join(stateDir, 'single') }, '/repo');
const klass = loadLabConfig({ LAB_PORT_BASE: '7400', LAB_STATE_DIR: path.join(stateDir, 'class'), LAB_TEAMS: 'blue,green' }, '/repo');
const byName = (config: typeof klass) => new Map(labProcesses(config).map((p) => [p.name, p]));

describe("the teams' ways to Prometheus", () => {
  it('when a class runs, then one team-prometheus process serves every team’s gate port, in front of a prom-label-proxy per team', () => {
    const processes = byName(klass);
    const names = [...processes.keys()];
    expect(names.filter((n) => n.endsWith('team-prometheus'))).toEqual(['team-prometheus']);
    expect(names.filter((n) => n.endsWith('prom-label-proxy')).sort()).toEqual(['blue-prom-label-proxy', 'green-prom-label-proxy']);
    const gate = processes.get('team-prometheus')!;
    expect(gate).toMatchObject({ port: 7591, otherPorts: [7691], dependsOn: ['blue-prom-label-proxy', 'green-prom-label-proxy'], restartOnCrash: true });
    expect(gate.team).toBeUndefined(); // a shared plane in `lab status`, listed once
    // Each label proxy is its team's: `lab status` lists it under the team, not with the shared planes.
    expect(processes.get('blue-prom-label-proxy')!.team).toBe('blue');
    expect(processes.get('green-prom-label-proxy')!.team).toBe('green');
    expect(processes.get('green-prom-label-proxy')!.launch().args).toEqual(expect.arrayContaining(['127.0.0.1:7692', '-label-value', 'green']));
    expect(processes.get('console')!.dependsOn).toContain('team-prometheus');
  });

  it('when the gate process starts, then each team’s token exists (0600) and TEAM_GATES points each port at its own proxy and token', () => {
    const env = byName(klass).get('team-prometheus')!.launch().env!;
    expect(JSON.parse(env.TEAM_GATES!)).toEqual([
      { team: 'blue', port: 7591, upstream: 'http://127.0.0.1:7592', tokenFile: teamPrometheusTokenFile(klass, 'blue') },
      { team: 'green', port: 7691, upstream: 'http://127.0.0.1:7692', tokenFile: teamPrometheusTokenFile(klass, 'green') },
    ]);
    for (const team of ['blue', 'green']) expect(statSync(teamPrometheusTokenFile(klass, team)).mode & 0o777).toBe(0o600);
    expect(readFileSync(teamPrometheusTokenFile(klass, 'blue'), 'utf8')).not.toBe(readFileSync(teamPrometheusTokenFile(klass, 'green'), 'utf8'));
  });

  it("when the console starts, then it gets each team's gate and token file, keyed alike", () => {
    const env = byName(klass).get('console')!.launch().env!;
    expect(env.TEAM_PROMETHEUS_URLS).toBe('blue=http://127.0.0.1:7591,green=http://127.0.0.1:7691');
    expect(env.TEAM_PROMETHEUS_TOKEN_FILES).toBe(`blue=${teamPrometheusTokenFile(klass, 'blue')},green=${teamPrometheusTokenFile(klass, 'green')}`);
  });

  it('when the lab has no teams, then its one gate (team "open") is the same process, and the console reaches it as "*"', () => {
    const processes = byName(single);
    expect(processes.get('team-prometheus')).toMatchObject({ port: 7491, otherPorts: [], dependsOn: ['prom-label-proxy'] });
    expect(processes.get('prom-label-proxy')!.team).toBeUndefined(); // no teams: `lab status` keeps its one table
    expect(JSON.parse(processes.get('team-prometheus')!.launch().env!.TEAM_GATES!)).toEqual([
      { team: 'open', port: 7491, upstream: 'http://127.0.0.1:7492', tokenFile: teamPrometheusTokenFile(single, 'open') },
    ]);
    const env = processes.get('console')!.launch().env!;
    expect(env.TEAM_PROMETHEUS_URLS).toBe('*=http://127.0.0.1:7491');
    expect(env.TEAM_PROMETHEUS_TOKEN_FILES).toBe(`*=${teamPrometheusTokenFile(single, 'open')}`);
  });

  it("when a trainee's account is made, then it gets its own team's token, header file and gate URL — never another team's", () => {
    const blueToken = readFileSync(teamPrometheusTokenFile(klass, 'blue'), 'utf8').trim();
    expect(traineeTeamPrometheusFiles(klass, 'blue')).toEqual([
      { name: 'prometheus-token', text: `${blueToken}\n` },
      { name: 'prometheus-auth-header', text: `Authorization: Bearer ${blueToken}\n` },
      { name: 'prometheus-url', text: 'http://127.0.0.1:7591\n' },
    ]);
    expect(traineeTeamPrometheusFiles(klass, 'green').find((f) => f.name === 'prometheus-url')?.text).toBe('http://127.0.0.1:7691\n');
    expect(JSON.stringify(traineeTeamPrometheusFiles(klass, 'green'))).not.toContain(blueToken);
    expect(traineeTeamPrometheusFiles(klass, 'red')).toEqual([]);
    // The single lab's one gate serves whatever team a trainee is in.
    expect(traineeTeamPrometheusFiles(single, 'blue').find((f) => f.name === 'prometheus-url')?.text).toBe('http://127.0.0.1:7491\n');
  });
});
