import { useEffect, useState } from 'preact/hooks';
import { api } from './api.ts';
import { findingsByPart, joinPir, type PirFinding, type PirPart, splitPir } from './pir-parts.ts';

interface SubmittedPir {
  id: string;
  score: number;
  findings: PirFinding[];
  submittedBy: string;
  submittedAt: string;
}

function Findings(props: { findings: PirFinding[] | undefined; id: string }) {
  if (!props.findings?.length) return null;
  return (
    <ul id={props.id} class="findings" aria-label="Findings">
      {props.findings.map((f) => (
        <li key={`${f.rule}-${f.line}-${f.message}`} class="status status-warn">
          To fix{f.line !== null ? ` (line ${f.line})` : ''}: {f.message}
        </li>
      ))}
    </ul>
  );
}

/**
 * The post-incident review, once the run has ended: the training API's draft (GET
 * /api/runs/{id}/pir/draft) in one labelled text box per section, "Check the PIR" (POST
 * /api/pir/check) showing each finding beside the section it concerns, and "Submit the PIR"
 * (POST /api/runs/{id}/pir: checked and scored again on the server). `names`: the team's names,
 * so blame next to a name is found.
 */
export function PirPanel(props: { runId: string; ended: boolean; names: string[]; report: (message: string) => void }) {
  const [parts, setParts] = useState<PirPart[] | null>(null);
  const [problem, setProblem] = useState('');
  const [findings, setFindings] = useState<{ list: PirFinding[]; score: number } | null>(null);
  const [submitted, setSubmitted] = useState<SubmittedPir | null>(null);
  useEffect(() => {
    // The draft fills the editor once; later events must not overwrite what the team wrote.
    if (!props.ended || parts !== null) return;
    api<{ markdown: string }>('GET', `/api/runs/${encodeURIComponent(props.runId)}/pir/draft`).then(
      ({ markdown }) => {
        setParts(splitPir(markdown));
        setProblem('');
      },
      (err: Error) => setProblem(err.message),
    );
  }, [props.runId, props.ended]);
  if (!props.ended) return null;

  const edit = (index: number) => (event: Event) => {
    const body = (event.currentTarget as HTMLTextAreaElement).value;
    setParts((list) => list?.map((p, i) => (i === index ? { ...p, body } : p)) ?? null);
  };
  const check = () =>
    parts &&
    api<{ findings: PirFinding[]; score: number }>('POST', '/api/pir/check', { markdown: joinPir(parts), names: props.names }).then(
      (answer) => setFindings({ list: answer.findings, score: answer.score }),
      (err: Error) => props.report(`PIR check: ${err.message}`),
    );
  const submit = () =>
    parts &&
    api<SubmittedPir>('POST', `/api/runs/${encodeURIComponent(props.runId)}/pir`, { markdown: joinPir(parts) }).then(
      (answer) => {
        setSubmitted(answer);
        setFindings({ list: answer.findings, score: answer.score });
        props.report(`PIR submitted: score ${answer.score}`);
      },
      (err: Error) => props.report(`PIR submit: ${err.message}`),
    );
  const byPart = parts && findings ? findingsByPart(parts, findings.list) : new Map<number, PirFinding[]>();
  return (
    <section aria-labelledby="pir" class="pir">
      <h2 id="pir">Post-incident review</h2>
      {problem && <p role="alert">The draft could not be loaded: {problem}</p>}
      {!parts && !problem && <p>Loading the draft from your run…</p>}
      {parts && (
        <form onSubmit={(e) => e.preventDefault()}>
          <p>A draft from your run's events: fill in every TODO(team) line, then check it and submit it. Blameless: name systems, not people.</p>
          {parts.map((part, i) => {
            const id = `pir-part-${i}`;
            const label = part.heading === '' ? 'Title and header' : part.heading;
            return (
              <div key={id} class="pir-part">
                <label for={id}>{label}</label>
                <textarea
                  id={id}
                  rows={Math.min(14, Math.max(3, part.body.split('\n').length + 1))}
                  value={part.body}
                  onInput={edit(i)}
                  aria-describedby={byPart.get(i)?.length ? `${id}-findings` : undefined}
                />
                <Findings findings={byPart.get(i)} id={`${id}-findings`} />
              </div>
            );
          })}
          <p role="status">
            {findings &&
              (findings.list.length === 0
                ? `Check: no findings, score ${findings.score}`
                : `Check: ${findings.list.length} finding${findings.list.length === 1 ? '' : 's'} beside their sections, score ${findings.score}`)}
          </p>
          <button type="button" onClick={() => void check()}>
            Check the PIR
          </button>{' '}
          <button type="button" onClick={() => void submit()}>
            Submit the PIR
          </button>
          {submitted && (
            <p class="status status-ok">
              Submitted by {submitted.submittedBy} at {submitted.submittedAt.slice(11, 19)}: score {submitted.score}
            </p>
          )}
        </form>
      )}
    </section>
  );
}
