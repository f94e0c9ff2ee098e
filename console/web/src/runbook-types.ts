/** GET /api/runbooks and /api/runbooks/{id} as the training API documents them. */
export interface RunbookEntry {
  id: string;
  source: 'executable' | 'runbook-page' | 'playbook';
  title: string;
  summary: string;
}

export interface RunbookStep {
  name: string;
  description: string | null;
  action: 'lever' | 'command' | 'probe';
  text: string;
  verify: string | null;
  rollback: string | null;
}

export interface RunbookDetail extends RunbookEntry {
  kind: string | null;
  steps: RunbookStep[];
  markdown: string | null;
  section: { page: string; heading: string; markdown: string } | null;
}

/** A step the page can run by itself: a lever with no `{{parameter}}` left to fill in. */
export function runnableFromPage(step: RunbookStep): boolean {
  return step.action === 'lever' && !step.text.includes('{{');
}
