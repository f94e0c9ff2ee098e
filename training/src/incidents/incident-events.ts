import { z } from 'zod';

/**
 * The incident's events as the journal records them: what trainees say (declare, ack, severity,
 * roles, updates, notes, mitigated, resolved) and what the lab adds for them (the page, hints).
 * The shapes live here, in one place, because three readers depend on them: the incident's own
 * state (a fold over these events), grading, and the PIR draft. Every time is the event row's
 * `at` (the lab's clock); no data field carries a time a client chose.
 */

export const severities = ['P0', 'P1', 'P2', 'P3'] as const;
export type Severity = (typeof severities)[number];

/** The ICS roles of TRAINING.md. */
export const incidentRoles = ['ic', 'ops', 'comms', 'scribe'] as const;
export type IncidentRole = (typeof incidentRoles)[number];

/** The three status-update templates (acknowledgement, update, resolution). */
export const updateKinds = ['ack', 'update', 'resolution'] as const;
export type UpdateKind = (typeof updateKinds)[number];

/** Root-cause categories: the scenario answer key's vocabulary, which a trainee names on resolve. */
export const causeCategories = ['bad-release', 'config-change', 'dependency-outage', 'capacity', 'bad-data', 'software-defect'] as const;
export type CauseCategory = (typeof causeCategories)[number];

export const incidentEventData = {
  /** The team answered the page (may come before or after the declaration). */
  'incident.acknowledged': z.object({ incidentId: z.string().nullable() }),
  'incident.declared': z.object({ incidentId: z.string(), title: z.string(), severity: z.enum(severities) }),
  'incident.severity': z.object({ incidentId: z.string(), severity: z.enum(severities), previous: z.enum(severities), reason: z.string() }),
  'incident.role': z.object({ incidentId: z.string(), role: z.enum(incidentRoles), trainee: z.string() }),
  'incident.update': z.object({
    incidentId: z.string(),
    kind: z.enum(updateKinds),
    text: z.string(),
    /** What the update says customers feel; the communication grade checks it is there. */
    impact: z.string().nullable(),
    /** Minutes until the next update the update promises (null: the resolution promises none). */
    nextUpdateMinutes: z.number().nullable(),
  }),
  'incident.note': z.object({ incidentId: z.string(), text: z.string() }),
  'incident.mitigated': z.object({ incidentId: z.string() }),
  'incident.resolved': z.object({ incidentId: z.string(), category: z.enum(causeCategories).nullable(), summary: z.string().nullable() }),
  /** The team on call was paged for an expected alert (actor: lab). */
  page: z.object({ alertname: z.string(), summary: z.string().nullable() }),
  /** A hint of the running scenario was taken; its cost is deducted from the grade. */
  'hint.taken': z.object({ index: z.number().int(), cost: z.number(), text: z.string() }),
} as const;

export type IncidentEventKind = keyof typeof incidentEventData;
export type IncidentEventDataOf<K extends IncidentEventKind> = z.infer<(typeof incidentEventData)[K]>;
