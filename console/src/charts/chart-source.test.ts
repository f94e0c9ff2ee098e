import { describe, expect, it } from 'vitest';
import { prometheusClient } from '@firedrill/kit';
import type { Caller } from '../session/session-store.ts';
import { chartSource, parseTeamPrometheusUrls } from './chart-source.ts';

const direct = prometheusClient({ url: 'http://127.0.0.1:7490', credentials: { username: 'firedrill', password: 'secret' } });
const caller = (role: Caller['role'], team: string | null): Caller => ({ role, actor: 'someone', team, trainee: role === 'trainee' ? 'grace' : null });

describe("where a caller's charts come from", () => {
  const teamUrls = parseTeamPrometheusUrls('blue=http://127.0.0.1:7491,green=http://127.0.0.1:7591/');
  const source = chartSource({ prometheus: direct, teamUrls });

  it("when the instructor asks, then the lab's Prometheus itself answers (with its credentials)", () => {
    expect(source(caller('instructor', null))).toBe(direct);
  });

  it("when a trainee asks, then their team's way to Prometheus answers, without the lab's credentials", () => {
    expect(source(caller('trainee', 'blue'))).toMatchObject({ url: 'http://127.0.0.1:7491', credentials: undefined });
    expect(source(caller('trainee', 'green')).url).toBe('http://127.0.0.1:7591');
  });

  it('when a trainee or the operator has no team path, then it is refused (403), never answered from Prometheus directly', () => {
    expect(() => source(caller('trainee', 'red'))).toThrow(expect.objectContaining({ status: 403 }));
    expect(() => source(caller('operator', null))).toThrow(expect.objectContaining({ status: 403 }));
  });

  it('when "*" is configured, then every team without its own entry goes through it', () => {
    const one = chartSource({ prometheus: direct, teamUrls: parseTeamPrometheusUrls('*=http://127.0.0.1:7491') });
    expect(one(caller('trainee', 'red')).url).toBe('http://127.0.0.1:7491');
    expect(one(caller('operator', null)).url).toBe('http://127.0.0.1:7491');
  });

  it('when no team paths are configured (Compose), then everyone is answered from Prometheus as before', () => {
    expect(chartSource({ prometheus: direct, teamUrls: parseTeamPrometheusUrls(undefined) })(caller('trainee', 'blue'))).toBe(direct);
  });

  it('when TEAM_PROMETHEUS_URLS is malformed, then it is refused at start with the entry named', () => {
    expect(() => parseTeamPrometheusUrls('blue http://x')).toThrow(/"blue http:\/\/x" is not team=url/);
  });
});
