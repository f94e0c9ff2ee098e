/** The training API's incident answers, as the page reads them (GET /api/incident/status, /templates). */
export interface Stamp {
  at: string;
  actor: string;
}

export interface StatusUpdate extends Stamp {
  kind: string;
  text: string;
  impact: string | null;
  nextUpdateMinutes: number | null;
}

export interface IncidentView {
  runId: string;
  runState: string;
  team: string | null;
  status: 'none' | 'open' | 'declared' | 'mitigated' | 'resolved';
  pages: Array<Stamp & { alertname: string; summary: string | null }>;
  acknowledged: Stamp | null;
  incident: {
    id: string;
    title: string;
    severity: string;
    roles: Record<string, string | null>;
    updates: StatusUpdate[];
    notes: Array<Stamp & { text: string }>;
    mitigated: Stamp | null;
    resolved: (Stamp & { category: string | null; summary: string | null }) | null;
  } | null;
}

export interface IncidentVocabulary {
  severities: string[];
  roles: string[];
  causeCategories: string[];
  updateTemplates: Array<{ kind: string; when: string; text: string }>;
}

/** Submits a form's fields as a plain object (empty fields left out). */
export function formFields(event: Event): Record<string, string> {
  event.preventDefault();
  const form = event.currentTarget as HTMLFormElement;
  const fields: Record<string, string> = {};
  for (const [name, value] of new FormData(form)) if (typeof value === 'string' && value.trim() !== '') fields[name] = value.trim();
  return fields;
}
