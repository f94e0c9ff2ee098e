import { useEffect, useState } from 'preact/hooks';
import { api } from './api.ts';

interface ReportHead {
  run: { id: string; state: string; debriefedAt: string | null };
  grade: { score: { total: number; max: number } } | null;
  gradeWithheld: string | null;
}

/**
 * After the debrief, the run's report: the training API's own HTML page (grade, deductions,
 * timeline, SLI chart) in a frame the console sandboxes. Before it, a line saying when it comes.
 */
export function ReportPanel(props: { runId: string; ended: boolean; version: number }) {
  const [head, setHead] = useState<ReportHead | null>(null);
  useEffect(() => {
    if (!props.ended) return;
    api<ReportHead>('GET', `/api/runs/${encodeURIComponent(props.runId)}/report`).then(setHead, () => setHead(null));
  }, [props.runId, props.ended, props.version]);
  if (!props.ended) return null;
  const src = `/api/runs/${encodeURIComponent(props.runId)}/report?format=html`;
  return (
    <section aria-labelledby="report">
      <h2 id="report">Report</h2>
      {!head?.run.debriefedAt ? (
        <p>The run has ended. Your report opens here after the instructor's debrief.</p>
      ) : (
        <>
          {head.grade && (
            <p class="status status-ok">
              Score: {head.grade.score.total} / {head.grade.score.max}
            </p>
          )}
          <iframe class="report" title={`Report of run ${props.runId}`} src={src} />
          <p>
            <a href={src} target="_blank" rel="noreferrer">
              Open the report on its own page
            </a>
          </p>
        </>
      )}
    </section>
  );
}
