import type { RunsHttp } from '../runs/runs-client.ts';
import type { RunReport } from './report-schema.ts';
import type { Scoreboard } from './scoreboard-schema.ts';

/**
 * A client of the reports API for the lab CLI and the console. It asks for the JSON contract
 * only and renders Markdown or HTML with the server's own renderers (report-markdown.ts,
 * report-html.ts), so every form comes from the same report.
 */
export function reportsApi(client: RunsHttp) {
  return {
    report: (runId: string) => client.get<RunReport>(`/api/runs/${encodeURIComponent(runId)}/report?format=json`),
    scoreboard: () => client.get<Scoreboard>('/api/scoreboard'),
    debrief: (runId: string) => client.post<{ id: string; debriefedAt: string }>(`/api/runs/${encodeURIComponent(runId)}/debrief`),
  };
}

export type ReportsApi = ReturnType<typeof reportsApi>;
