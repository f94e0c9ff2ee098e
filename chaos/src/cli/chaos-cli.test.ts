import { afterEach, describe, expect, it, vi } from 'vitest';
import { runChaosCli } from './chaos-cli.ts';

/** The controller as the CLI sees it: what it was sent, and one answer. */
function controllerAnswering(status: number, answer: unknown) {
  const sent: Array<{ url: string; method: string; body: unknown }> = [];
  vi.stubGlobal('fetch', async (url: string, init: RequestInit) => {
    sent.push({ url, method: init.method ?? 'GET', body: init.body ? JSON.parse(String(init.body)) : undefined });
    return new Response(JSON.stringify(answer), { status, headers: { 'content-type': 'application/json' } });
  });
  return sent;
}

const run = async (argv: string[]) => {
  const lines: string[] = [];
  const code = await runChaosCli(argv, { controllerUrl: 'http://127.0.0.1:7403', token: 't', actor: 'ada', out: (line) => lines.push(line) });
  return { code, lines };
};

afterEach(() => vi.unstubAllGlobals());

describe('lab chaos inject in a class', () => {
  it('when --team names a team, then the fault sent names it, and the answer is printed as that team’s', async () => {
    const sent = controllerAnswering(201, {
      id: 'flt_1',
      family: 'latency',
      team: 'blue',
      target: 'payments',
      ms: 800,
      jitterMs: 0,
      rate: 1,
      remainingSeconds: 300,
      expiresAt: '2026-11-29T22:00:00.000Z',
      agents: [{ agent: 'payments@blue', service: 'payments', applied: true }],
    });
    const { code, lines } = await run(['inject', 'latency', '--team', 'blue', '--target', 'payments', '--ms', '800', '--for', '5m']);
    expect(code).toBe(0);
    expect(sent).toEqual([
      { url: 'http://127.0.0.1:7403/api/faults', method: 'POST', body: { family: 'latency', team: 'blue', target: 'payments', ms: 800, for: '5m' } },
    ]);
    expect(lines[0]).toBe("flt_1  latency blue's payments 800ms  for 5m (until 2026-11-29T22:00:00.000Z)");
  });

  it('when no --team is given, then none is sent (a single lab), and a class’s refusal is printed as the controller words it', async () => {
    const sent = controllerAnswering(409, {
      type: 'about:blank',
      title: 'Conflict',
      status: 409,
      detail: 'In this class each team has its own shop: name the team whose shop the worker-death fault is for (teams: blue, green)',
    });
    const { code, lines } = await run(['inject', 'worker-death', '--mode', 'exit']);
    expect(code).toBe(1);
    expect(sent[0]?.body).toEqual({ family: 'worker-death', mode: 'exit' });
    expect(lines).toEqual(['error: In this class each team has its own shop: name the team whose shop the worker-death fault is for (teams: blue, green)']);
  });
});
