import { parseAllDocuments } from 'yaml';
import { z } from 'zod';

/**
 * The SLO spec: Sloth's `prometheus/v1` format (one YAML document per service), restricted to
 * what the generator understands, plus the alert content every lab alert must carry (severity,
 * summary, description, runbook_url), so a spec that would produce an incomplete alert is refused.
 */

const windowPlaceholder = '{{.window}}';
const query = z
  .string()
  .min(1)
  .refine((q) => q.includes(windowPlaceholder), `must contain ${windowPlaceholder}, where the generator puts each window`);

const labels = z.record(z.string().regex(/^[a-zA-Z_][a-zA-Z0-9_]*$/, 'must be a Prometheus label name'), z.string());

const severityAlert = z.strictObject({
  labels: labels.and(z.object({ severity: z.enum(['page', 'ticket', 'info']) })),
  annotations: z.record(z.string(), z.string()).optional(),
});

const slo = z.strictObject({
  name: z.string().regex(/^[a-z][a-z0-9-]*$/, 'must be kebab-case (it becomes part of sloth_id)'),
  objective: z.number().gt(0).lt(100),
  description: z.string().min(1),
  labels: labels.optional(),
  sli: z.strictObject({
    events: z.strictObject({ error_query: query, total_query: query }),
  }),
  alerting: z.strictObject({
    name: z.string().regex(/^[A-Z][A-Za-z0-9]*$/, 'must be a PascalCase alert name'),
    labels: labels.optional(),
    annotations: z.record(z.string(), z.string()).and(z.object({ summary: z.string().min(1), description: z.string().min(1), runbook_url: z.string().min(1) })),
    page_alert: severityAlert,
    ticket_alert: severityAlert,
  }),
});

export const sloServiceSpec = z.strictObject({
  version: z.literal('prometheus/v1'),
  service: z.string().regex(/^[a-z][a-z0-9-]*$/, 'must be kebab-case'),
  labels: labels.optional(),
  slos: z
    .array(slo)
    .min(1)
    .refine((slos) => new Set(slos.map((s) => s.name)).size === slos.length, 'SLO names must be unique within a service'),
});

export type SloServiceSpec = z.output<typeof sloServiceSpec>;
export type SloSpec = SloServiceSpec['slos'][number];

/** Parses every YAML document of the spec file; throws one message naming each problem. */
export function parseSloSpecs(text: string): SloServiceSpec[] {
  const documents = parseAllDocuments(text);
  if (!Array.isArray(documents)) throw new Error('SLO spec: not a YAML stream');
  const problems: string[] = [];
  const specs: SloServiceSpec[] = [];
  documents.forEach((doc, index) => {
    for (const error of doc.errors) problems.push(`document ${index + 1}: YAML: ${error.message}`);
    if (doc.errors.length) return;
    const result = sloServiceSpec.safeParse(doc.toJS());
    if (!result.success) {
      for (const issue of result.error.issues) problems.push(`document ${index + 1}: ${issue.path.join('.') || '(root)'}: ${issue.message}`);
      return;
    }
    specs.push(result.data);
  });
  const ids = specs.flatMap((s) => s.slos.map((slo) => `${s.service}-${slo.name}`));
  const duplicate = ids.find((id, i) => ids.indexOf(id) !== i);
  if (duplicate) problems.push(`sloth_id ${duplicate} is defined twice`);
  if (!specs.length && !problems.length) problems.push('no SLO documents');
  if (problems.length) throw new Error(`invalid SLO spec:\n  ${problems.join('\n  ')}`);
  return specs;
}
