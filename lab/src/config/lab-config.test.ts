import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '@firedrill/kit';
import { loadLabConfig } from './lab-config.ts';

describe('loadLabConfig', () => {
  it('when nothing is set, then the lab lives in <repo>/.lab on ports from 7400', () => {
    const config = loadLabConfig({}, '/repo');
    expect(config.stateDir).toBe('/repo/.lab');
    expect(config.logsDir).toBe('/repo/.lab/logs');
    expect(config.ports).toMatchObject({ api: 7400, payments: 7401, worker: 7402, supervisor: 7409, postgres: 7410, redis: 7420, prometheus: 7490 });
    expect(config.upTimeoutMs).toBe(60_000);
  });

  it('when LAB_PORT_BASE and LAB_STATE_DIR are set, then every port moves with the base', () => {
    const config = loadLabConfig({ LAB_PORT_BASE: '20000', LAB_STATE_DIR: 'team-a' }, '/repo');
    expect(config.stateDir).toBe(path.resolve('team-a'));
    expect(config.ports).toMatchObject({ api: 20000, supervisor: 20009, postgres: 20010, prometheus: 20090 });
  });

  it.each(['abc', '80', '65500', '7400.5'])('when LAB_PORT_BASE is %s, then loading fails naming the variable', (value) => {
    expect(() => loadLabConfig({ LAB_PORT_BASE: value }, '/repo')).toThrow(ConfigError);
    expect(() => loadLabConfig({ LAB_PORT_BASE: value }, '/repo')).toThrow(/LAB_PORT_BASE/);
  });

  it('when the user has OTEL_* settings, then children inherit them but not unrelated variables', () => {
    const config = loadLabConfig({ PATH: '/bin', OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318', DATABASE_URL: 'postgres://elsewhere' }, '/repo');
    expect(config.inheritedEnv).toEqual({ PATH: '/bin', OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' });
  });

  it('when LAB_TEAMS is unset, then the lab is one shop, as before teams existed', () => {
    expect(loadLabConfig({}, '/repo').teams).toEqual([]);
  });

  it('when LAB_TEAMS names teams or counts them, then the class has those teams in order', () => {
    expect(loadLabConfig({ LAB_TEAMS: 'green,blue' }, '/repo').teams).toEqual(['green', 'blue']);
    expect(loadLabConfig({ LAB_TEAMS: '2' }, '/repo').teams).toEqual(['blue', 'green']);
  });

  it.each([
    [{ LAB_TEAMS: 'Blue' }, /LAB_TEAMS.*"Blue" is not a team name/s],
    [{ LAB_TEAMS: '12' }, /LAB_TEAMS.*1 to 9 teams/s],
    [{ LAB_TEAMS: '9', LAB_PORT_BASE: '65000' }, /LAB_PORT_BASE: 65000 leaves no room for 9 teams/],
  ])('when the class does not fit (%o), then loading fails naming the variable', (env, message) => {
    expect(() => loadLabConfig(env, '/repo')).toThrow(ConfigError);
    expect(() => loadLabConfig(env, '/repo')).toThrow(message);
  });
});
