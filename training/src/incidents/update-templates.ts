import type { UpdateKind } from './incident-events.ts';

/**
 * The three status-update templates of TRAINING.md (acknowledgement, update, resolution). Each one
 * names the impact, the current status and when the next update comes (the resolution says none
 * follows), because that is what the communication grade checks. `lab incident update --template`
 * prints one to fill in; the response playbook (docs/playbook/communication-templates.md) shows
 * the same text, kept in step by a test. Placeholders are <angle-bracketed>.
 */
export interface UpdateTemplate {
  kind: UpdateKind;
  /** When to post it. */
  when: string;
  text: string;
}

export const updateTemplates: Record<UpdateKind, UpdateTemplate> = {
  ack: {
    kind: 'ack',
    when: 'Within 5 minutes of declaring: the team is on it.',
    text: [
      'We are investigating <what customers notice, e.g. slow checkout>.',
      'Impact: <who is affected and how much, e.g. about 30% of checkouts take over 2 s>.',
      'Current status: investigating; incident commander <name>.',
      'Next update: in <15> minutes.',
    ].join('\n'),
  },
  update: {
    kind: 'update',
    when: 'Before the time the last update promised (at least every 20 minutes).',
    text: [
      '<What changed since the last update: what we found, what we did>.',
      'Impact: <who is affected and how much, now>.',
      'Current status: <investigating | identified | mitigating | monitoring>.',
      'Next update: in <15> minutes.',
    ].join('\n'),
  },
  resolution: {
    kind: 'resolution',
    when: 'Once resolved: service is back and holding.',
    text: [
      'Resolved: <what is back to normal, and since when>.',
      'Impact: <who was affected, for how long, and how much, e.g. 120 orders failed between 10:02 and 10:19>.',
      'Current status: resolved; a post-incident review follows.',
      'Next update: none; the review will be shared by <date>.',
    ].join('\n'),
  },
};

/** The templates as the playbook shows them (one heading and one fenced block each). */
export function updateTemplatesMarkdown(): string {
  return Object.values(updateTemplates)
    .map((t) => [`### \`${t.kind}\``, '', t.when, '', '```text', t.text, '```'].join('\n'))
    .join('\n\n');
}
