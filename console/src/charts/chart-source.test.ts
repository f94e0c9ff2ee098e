import { describe, expect, it } from 'vitest';
import { prometheusClient } from '@firedrill/kit';
import type { Caller } from '../session/session-store.ts';
import { chartSource, parseTeamPrometheusPaths } from './chart-source.ts';

const direct = prometheusClient({ url: 'http://127.0.0.1:7490', credentials: { username: 'firedrill', password: 'secret' } });
const caller = (role: Caller['role'], team: string | null): Caller => ({ role, actor: 'someone', team, trainee: role === 'trainee' ? 'grace' : null });

/** Token files as the lab names them; a "content" that names its file, so each team's token is its own. */
const readTokenFile = (file: string) => `token-of-${file}`;
const paths = (urls: string | undefined, files: string | undefined) => parseTeamPrometheusPaths(urls, files, readTokenFile);

describe("where a caller's charts come from", () => {
  const teamPaths = paths('blue=http://127.0.0.1:7491,green=http://127.0.0.1:7591/', 'blue=/s/team-prometheus-blue-token,green=/s/team-prometheus-green-token');
  const source = chartSource({ prometheus: direct, teamPaths });

  it("when the instructor asks, then the lab's Prometheus itself answers (with its credentials)", () => {
    expect(source(caller('instructor', null))).toBe(direct);
  });

  it("when a trainee asks, then their team's way to Prometheus answers, without the lab's credentials", () => {
    expect(source(caller('trainee', 'blue'))).toMatchObject({ url: 'http://127.0.0.1:7491', credentials: undefined });
    expect(source(caller('trainee', 'green')).url).toBe('http://127.0.0.1:7591');
  });

  it("when a trainee's chart is drawn, then the request carries their own team's gate token (green's never blue's)", async () => {
    const sent: Array<[string, string | null]> = [];
    const realFetch = globalThis.fetch;
    globalThis.fetch = (async (input: string | URL | Request, init?: RequestInit) => {
      sent.push([String(input), new Headers(init?.headers).get('authorization')]);
      return new Response('{}');
    }) as typeof fetch;
    try {
      await source(caller('trainee', 'green')).fetch('/api/v1/query?query=up');
      await source(caller('trainee', 'blue')).fetch('/api/v1/query?query=up');
    } finally {
      globalThis.fetch = realFetch;
    }
    expect(sent).toEqual([
      ['http://127.0.0.1:7591/api/v1/query?query=up', 'Bearer token-of-/s/team-prometheus-green-token'],
      ['http://127.0.0.1:7491/api/v1/query?query=up', 'Bearer token-of-/s/team-prometheus-blue-token'],
    ]);
  });

  it('when a trainee or the operator has no team path, then it is refused (403), never answered from Prometheus directly', () => {
    expect(() => source(caller('trainee', 'red'))).toThrow(expect.objectContaining({ status: 403 }));
    expect(() => source(caller('operator', null))).toThrow(expect.objectContaining({ status: 403 }));
  });

  it("when the operator asks for a class's team, then that team's way to Prometheus answers (never the lab's own)", () => {
    expect(source(caller('operator', null), 'green')).toMatchObject({ url: 'http://127.0.0.1:7591', credentials: undefined });
    expect(source(caller('operator', null), 'blue').url).toBe('http://127.0.0.1:7491');
    expect(() => source(caller('operator', null), 'red')).toThrow(expect.objectContaining({ status: 403 }));
  });

  it("when a class's shared-planes chart is drawn for a team, then the lab's Prometheus answers (no gate returns series without a team; the query keeps to those and the team's own), and a shop chart still goes through the team's gate", () => {
    expect(source(caller('trainee', 'blue'), 'blue', 'shared')).toBe(direct);
    expect(source(caller('operator', null), 'green', 'shared')).toBe(direct);
    expect(source(caller('trainee', 'blue'), 'blue', 'shop').url).toBe('http://127.0.0.1:7491');
    // Without a team there is no such reading: a trainee's call without one keeps to its gate (or is refused).
    expect(source(caller('trainee', 'blue'), undefined, 'shared').url).toBe('http://127.0.0.1:7491');
    expect(() => source(caller('operator', null), undefined, 'shared')).toThrow(expect.objectContaining({ status: 403 }));
  });

  it('when "*" is configured, then every team without its own entry goes through it', () => {
    const one = chartSource({ prometheus: direct, teamPaths: paths('*=http://127.0.0.1:7491', '*=/s/team-prometheus-open-token') });
    expect(one(caller('trainee', 'red')).url).toBe('http://127.0.0.1:7491');
    expect(one(caller('operator', null)).url).toBe('http://127.0.0.1:7491');
    // The single lab's Postgres exporter carries its shop's team ("open"): its gate returns it, as before.
    expect(one(caller('trainee', 'open'), undefined, 'shared').url).toBe('http://127.0.0.1:7491');
  });

  it('when no team paths are configured (Compose), then everyone is answered from Prometheus as before', () => {
    expect(chartSource({ prometheus: direct, teamPaths: paths(undefined, undefined) })(caller('trainee', 'blue'))).toBe(direct);
  });

  it('when TEAM_PROMETHEUS_URLS or TEAM_PROMETHEUS_TOKEN_FILES is malformed, then it is refused at start with the entry named', () => {
    expect(() => paths('blue http://x', 'blue=/s/t')).toThrow(/TEAM_PROMETHEUS_URLS: "blue http:\/\/x" is not team=url/);
    expect(() => paths('blue=/not/a/url', 'blue=/s/t')).toThrow(/TEAM_PROMETHEUS_URLS: "blue=\/not\/a\/url" is not team=url/);
    expect(() => paths('blue=http://x', 'blue')).toThrow(/TEAM_PROMETHEUS_TOKEN_FILES: "blue" is not team=file/);
  });

  it('when a team has a URL and no token file (or a token file and no URL), then it is refused at start with the team named', () => {
    expect(() => paths('blue=http://x,green=http://y', 'blue=/s/t')).toThrow(/green is in only one of them/);
    expect(() => paths(undefined, 'blue=/s/t')).toThrow(/blue is in only one of them/);
  });
});
