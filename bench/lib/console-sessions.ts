import { readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';

/** Signs in to the console as a browser would (Origin = the console's own), returning the session cookie. */
export async function signInToConsole(consoleUrl: string, token: string): Promise<string> {
  const response = await fetch(`${consoleUrl}/console/sign-in`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: consoleUrl },
    body: JSON.stringify({ token }),
  });
  if (!response.ok) throw new Error(`console sign-in: ${response.status} ${await response.text()}`);
  const cookie = response.headers
    .getSetCookie()
    .map((header) => header.split(';')[0]!)
    .find((pair) => pair.startsWith('firedrill_console='));
  if (!cookie) throw new Error('console sign-in set no firedrill_console cookie');
  return cookie;
}

export interface SimulatedBrowser {
  /** Server-sent events received on the run's stream. */
  events: number;
  /** Chart answers received, and the ones that were not 200. */
  charts: number;
  chartFailures: number;
  /** Times the stream ended and was opened again (EventSource reconnects by itself). */
  reconnects: number;
}

/**
 * What one signed-in trainee's page does to the console, without a browser: holds the run's event
 * stream open (reconnecting as EventSource does) and fetches every chart of the view every 5 s
 * (panel-chart.tsx's refresh). Runs until `signal` aborts.
 */
export async function simulateBrowser(consoleUrl: string, cookie: string, runId: string, signal: AbortSignal): Promise<SimulatedBrowser> {
  const counts: SimulatedBrowser = { events: 0, charts: 0, chartFailures: 0, reconnects: 0 };
  const headers = { cookie };
  const holdStream = async () => {
    while (!signal.aborted) {
      try {
        const response = await fetch(`${consoleUrl}/console/runs/${runId}/stream`, { headers, signal });
        const reader = response.body!.getReader();
        const decoder = new TextDecoder();
        let buffered = '';
        for (;;) {
          const { done, value } = await reader.read();
          if (done) break;
          const blocks = (buffered + decoder.decode(value, { stream: true })).split('\n\n');
          buffered = blocks.pop() ?? '';
          counts.events += blocks.filter((block) => /^event: /m.test(block)).length;
        }
      } catch {
        if (signal.aborted) return;
      }
      counts.reconnects++;
      await sleep(1000, undefined, { signal }).catch(() => {});
    }
  };
  const fetchCharts = async () => {
    const list = (await (await fetch(`${consoleUrl}/console/charts`, { headers, signal })).json()) as { charts: Array<{ id: string }> };
    while (!signal.aborted) {
      await Promise.all(
        list.charts.map(async ({ id }) => {
          const response = await fetch(`${consoleUrl}/console/charts/${id}?minutes=15`, { headers, signal });
          await response.arrayBuffer();
          counts.charts++;
          if (!response.ok) counts.chartFailures++;
        }),
      ).catch(() => {});
      await sleep(5000, undefined, { signal }).catch(() => {});
    }
  };
  await Promise.all([holdStream(), fetchCharts().catch(() => {})]);
  return counts;
}

/** A process's resident memory, MiB (VmRSS). */
export function residentMiB(pid: number): number {
  const kb = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
  if (kb === undefined) throw new Error(`no VmRSS for process ${pid}`);
  return Number(kb) / 1024;
}

/** The console's V8 heap in use, MiB, from its own /metrics (prom-client's default metrics): tells a leak from a heap not yet collected. */
export async function heapUsedMiB(consoleUrl: string): Promise<number> {
  const text = await (await fetch(`${consoleUrl}/metrics`)).text();
  const bytes = /^nodejs_heap_size_used_bytes(?:\{[^}]*\})? (\S+)$/m.exec(text)?.[1];
  if (bytes === undefined) throw new Error('the console does not report nodejs_heap_size_used_bytes');
  return Number(bytes) / 1024 / 1024;
}
