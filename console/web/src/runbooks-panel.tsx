import { useEffect, useState } from 'preact/hooks';
import { api } from './api.ts';
import { Inline, MarkdownText } from './markdown-text.tsx';
import { RunbookStepButton } from './runbook-step-button.tsx';
import { type RunbookDetail, type RunbookEntry, runnableFromPage } from './runbook-types.ts';

const sourceHeadings: Record<RunbookEntry['source'], string> = {
  executable: 'Executable runbooks',
  'runbook-page': 'Runbook pages (one per alert family)',
  playbook: 'The response playbook',
};

function RunbookView(props: { runbook: RunbookDetail; report: (message: string) => void; team: string | null }) {
  const { runbook } = props;
  return (
    <article aria-labelledby="runbook-open" class="runbook">
      <h3 id="runbook-open" tabIndex={-1}>
        <Inline text={runbook.title} />
      </h3>
      <p>
        {runbook.summary}
        {runbook.kind && <span class="cost"> ({runbook.kind})</span>}
      </p>
      {runbook.steps.length > 0 && (
        <ol aria-label={`Steps of ${runbook.title}`}>
          {runbook.steps.map((step) => (
            <li key={step.name}>
              <strong>{step.name}</strong>: {step.action} <code>{step.text}</code>
              {step.description && <> — {step.description}</>}
              {step.verify && <span class="cost"> (then checks {step.verify})</span>}
              {runnableFromPage(step) && (
                <>
                  {' '}
                  <RunbookStepButton runbook={runbook.id} step={step} team={props.team} report={props.report} />
                </>
              )}
            </li>
          ))}
        </ol>
      )}
      {runbook.section && (
        <>
          <p>
            From the page <strong>{runbook.section.page}</strong>, section “{runbook.section.heading}”:
          </p>
          <MarkdownText markdown={runbook.section.markdown} headingLevel={3} />
        </>
      )}
      {/* The page's own `# title` is the heading above. */}
      {runbook.markdown !== null && <MarkdownText markdown={runbook.markdown.replace(/^# .*\n/, '')} headingLevel={3} />}
    </article>
  );
}

/**
 * The runbooks and the playbook (GET /api/runbooks), one opened at a time, each lever step with its
 * button. `team`: the operator's pick on a class's team's page (a step then pulls that team's lever
 * and goes on that team's timeline); none for a trainee (its own team) or a single lab.
 */
export function RunbooksPanel(props: { report: (message: string) => void; team?: string | null }) {
  const [list, setList] = useState<RunbookEntry[] | null>(null);
  const [open, setOpen] = useState<RunbookDetail | null>(null);
  const [problem, setProblem] = useState('');
  useEffect(() => {
    api<{ runbooks: RunbookEntry[] }>('GET', '/api/runbooks').then(
      ({ runbooks }) => setList(runbooks),
      (err: Error) => setProblem(err.message),
    );
  }, []);
  const show = (id: string) =>
    api<RunbookDetail>('GET', `/api/runbooks/${encodeURIComponent(id)}`).then(
      (detail) => {
        setOpen(detail);
        setProblem('');
        // Keyboard and screen-reader users land on what they opened.
        requestAnimationFrame(() => document.getElementById('runbook-open')?.focus());
      },
      (err: Error) => setProblem(err.message),
    );
  return (
    <section aria-labelledby="runbooks" class="runbooks">
      <h2 id="runbooks">Runbooks</h2>
      {problem && <p role="alert">Runbooks unavailable: {problem}</p>}
      {list === null && !problem && <p>Loading the runbooks…</p>}
      <div class="runbooks-layout">
        <nav aria-label="Runbooks">
          {(['executable', 'runbook-page', 'playbook'] as const).map((source) => (
            <div key={source}>
              <h3>{sourceHeadings[source]}</h3>
              <ul>
                {(list ?? [])
                  .filter((r) => r.source === source)
                  .map((r) => (
                    <li key={r.id}>
                      <button type="button" class="link" aria-pressed={open?.id === r.id} title={r.summary} onClick={() => void show(r.id)}>
                        <Inline text={r.title} />
                      </button>
                    </li>
                  ))}
              </ul>
            </div>
          ))}
        </nav>
        {open ? <RunbookView runbook={open} report={props.report} team={props.team ?? null} /> : <p>Open a runbook to read it here.</p>}
      </div>
    </section>
  );
}
