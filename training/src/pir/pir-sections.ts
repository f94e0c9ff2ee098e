/**
 * The sections of a post-incident review, once: the draft writes these headings in this order and
 * the checker looks for them. The list is the union in reference/training-and-grading.md (c)
 * (Google SRE book App. D, PagerDuty, Atlassian) and TRAINING.md "Post-incident review".
 *
 * A heading counts as a section when its words match the section's pattern, whatever its case or
 * extra words ("## Impact (numbers)", "### Lessons we learned"), so teams can write in their own
 * words. The header is the document's `# Title`, not a `##` section.
 */
export interface PirSection {
  id: PirSectionId;
  /** The heading the draft writes. */
  title: string;
  /** Matched against a heading's text, lower-cased. */
  pattern: RegExp;
  /** Optional sections are drafted but never reported missing. */
  required: boolean;
}

export const pirSectionIds = [
  'summary',
  'impact',
  'responders',
  'detection',
  'timeline',
  'root-cause',
  'resolution',
  'lessons',
  'action-items',
  'messaging',
  'supporting',
] as const;
export type PirSectionId = (typeof pirSectionIds)[number];

export const pirSections: readonly PirSection[] = [
  { id: 'summary', title: 'Summary', pattern: /\bsummary\b|\btl;?dr\b|\boverview\b/, required: true },
  { id: 'impact', title: 'Impact', pattern: /\bimpact\b/, required: true },
  { id: 'responders', title: 'Responders and roles', pattern: /\bresponders?\b|\broles?\b|\bwho responded\b/, required: true },
  { id: 'detection', title: 'Detection', pattern: /\bdetect(ed|ion|ing)?\b/, required: true },
  { id: 'timeline', title: 'Timeline (UTC)', pattern: /\btimeline\b|\bchronology\b/, required: true },
  {
    id: 'root-cause',
    title: 'Trigger and root cause',
    pattern: /\broot[ -]?causes?\b|\btrigger\b|\bcontributing factors?\b|\bcauses?\b/,
    required: true,
  },
  { id: 'resolution', title: 'Resolution', pattern: /\bresolution\b|\brecovery\b|\bmitigation\b/, required: true },
  { id: 'lessons', title: 'Lessons learned', pattern: /\blessons?\b|\bwhat went (well|wrong)\b|\bretrospective\b/, required: true },
  { id: 'action-items', title: 'Action items', pattern: /\baction items?\b|\bactions\b|\bfollow[- ]?ups?\b|\bremediations?\b/, required: true },
  { id: 'messaging', title: 'Messaging', pattern: /\bmessag(e|es|ing)\b|\bcommunications?\b/, required: true },
  { id: 'supporting', title: 'Supporting information', pattern: /\bsupporting\b|\blinks\b|\breferences\b/, required: false },
];

/** The section a heading's text starts, or undefined (a sub-heading of the section it is in). */
export function sectionOfHeading(text: string): PirSection | undefined {
  const words = text.toLowerCase();
  return pirSections.find((section) => section.pattern.test(words));
}

/** The marker every line the team must fill in carries; the checker reports each one left. */
export const placeholderMarker = 'TODO(team)';

/** The action-item types of the SRE book's template. */
export const actionTypes = ['mitigate', 'prevent', 'process'] as const;
