import type { CauseCategory } from './cause-category.ts';

/**
 * The bot's part of a post-incident review: the lab drafts what its events say (GET
 * /api/runs/{id}/pir/draft) and leaves each judgement as a `TODO(team)` line; this fills every one
 * from what the bot saw and did. Pure, and tested against the lab's real checker, so the review it
 * submits has no findings. Wording is blameless: it talks about the system and the process, names
 * no one next to a mistake, and says what will change rather than what someone should have done.
 */
export interface PirFacts {
  /** The bot's name, the review's author and every action item's owner. */
  author: string;
  /** What the bot first observed (its diagnosis' symptoms when paged). */
  symptoms: readonly string[];
  /** The evidence that pointed at the lever that fixed it. */
  evidence: readonly string[];
  /** Levers pulled, in order, with the runbook that pulled each. */
  actions: ReadonlyArray<{ lever: string; runbook: string | undefined; restores?: boolean | undefined }>;
  category: CauseCategory | undefined;
  /** The day the review is written (YYYY-MM-DD); action items fall due from it. */
  today: string;
}

const placeholder = 'TODO(team)';

/** Per cause category: what set it off, why it could hurt, and the follow-ups that prevent it. */
const byCategory: Record<CauseCategory | 'unknown', { trigger: string; why: string; prevent: string; process: string }> = {
  'bad-release': {
    trigger: 'a release of the service whose symptoms began with it',
    why: 'the release went to every customer at once, with no canary step that compares its latency and errors with the previous version',
    prevent: 'Add a canary stage to releases that halts on p95 or error-ratio regressions',
    process: 'Link the release history from the alert so the first responder sees recent deploys at once',
  },
  'config-change': {
    trigger: 'a configuration flag changed at runtime',
    why: 'flag values take effect everywhere at once and have no guard on the ranges that overload a dependency',
    prevent: 'Validate risky flag values against safe ranges before they apply',
    process: 'Record every flag change in the incident channel automatically',
  },
  'dependency-outage': {
    trigger: 'a dependency outside the team failed (its path or provider)',
    why: 'the shop depends on it synchronously for checkout, with no automatic fallback',
    prevent: 'Make the fallback (failover or degraded mode) automatic when the dependency fails its checks',
    process: 'Add the dependency status page to the on-call runbook',
  },
  capacity: {
    trigger: 'a resource ran out of room under the load it was given',
    why: 'the limit was set with no headroom alert before it was reached',
    prevent: 'Alert at 80% of the limit and size it with headroom for a peak',
    process: 'Review resource limits in the quarterly capacity review',
  },
  'bad-data': {
    trigger: 'one job whose data makes the worker crash',
    why: 'the worker retries a job that kills it instead of moving it aside after repeated crashes',
    prevent: 'Dead-letter a job automatically after it crashes the worker twice',
    process: 'Add the dead-letter procedure to the queue runbook with an example',
  },
  'software-defect': {
    trigger: 'a process that wedged or exhausted a resource on its own',
    why: 'nothing restarts or sheds load from a process that is alive but no longer making progress',
    prevent: 'Add a liveness check that restarts a process that makes no progress',
    process: 'Add the restart procedure and its signals to the runbook',
  },
  unknown: {
    trigger: 'not established from what the responders could see',
    why: 'the signals available did not point at a cause',
    prevent: 'Add the signals that would have shown the cause to the dashboards',
    process: 'Review the alert and runbook coverage for this symptom',
  },
};

/** A date `days` after `today` (YYYY-MM-DD). */
export function dueDate(today: string, days: number): string {
  const date = new Date(`${today}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + days);
  return date.toISOString().slice(0, 10);
}

export function completePir(draft: string, facts: PirFacts): string {
  const why = byCategory[facts.category ?? 'unknown'];
  const fixing = facts.actions.filter((a) => !a.restores);
  const fix = fixing.at(-1);
  const actionsDone = facts.actions.map((a) => `\`${a.lever}\`${a.runbook ? ` (runbook ${a.runbook})` : ''}`).join(', then ') || 'no lever';
  const seen = facts.symptoms.length > 0 ? facts.symptoms.join('; ') : 'the page';
  const fills: Record<string, string[]> = {
    authors: [facts.author],
    summary: [
      `Customers were affected while ${seen}. The cause was ${why.trigger}; ${fix ? `\`${fix.lever}\` ended it` : 'it ended without a lever of ours'}${facts.category ? ` (${facts.category})` : ''}.`,
    ],
    detection: [
      'The page from the symptom alert was how the team noticed. A symptom alert on the signal that moved first would shorten the time to detect next time.',
    ],
    trigger: [why.trigger],
    'root cause': [why.why],
    'contributing factors': [
      facts.evidence.length > 0 ? `The evidence took a round of reading to connect: ${facts.evidence.join('; ')}` : 'None identified beyond the trigger.',
    ],
    resolution: [`${actionsDone} restored service for now. The long-term fix is the prevent action item below.`],
    'went well': [`The page fired on a customer symptom and the runbook ${fix?.runbook ?? 'steps'} carried out the fix and verified it.`],
    'went wrong': ['Nothing in the system stopped the trigger before customers felt it; the signals needed reading together to point at the cause.'],
    lucky: ['The incident came during a drill with the team already at hand.'],
    internal: [
      `Checkout was affected while ${seen}. ${fix ? `\`${fix.lever}\` ended it.` : 'It ended by itself.'} We are adding: ${why.prevent.toLowerCase()}.`,
    ],
    external: [`Some customers could not check out normally for a while. It has been fixed, and we are making changes so that it does not happen again.`],
  };
  const actionRows = [
    `| ${fix ? `Keep the runbook that carried out \`${fix.lever}\` current and linked from the alert` : 'Link the runbook for this symptom from its alert'} | mitigate | ${facts.author} | ${dueDate(facts.today, 7)} | PIR |`,
    `| ${why.prevent} | prevent | ${facts.author} | ${dueDate(facts.today, 30)} | PIR |`,
    `| ${why.process} | process | ${facts.author} | ${dueDate(facts.today, 14)} | PIR |`,
  ];

  const out: string[] = [];
  let heading = '';
  for (const line of draft.split('\n')) {
    const h = /^#{2,3}\s+(.*)$/.exec(line);
    if (h) heading = h[1]!.toLowerCase();
    if (!line.includes(placeholder)) {
      out.push(line.replace(/^- \*\*Status:\*\* draft$/, '- **Status:** final'));
      continue;
    }
    if (line.startsWith('|')) {
      if (heading.includes('action')) out.push(...actionRows);
      continue;
    }
    const field = /^- \*\*([^*]+):\*\*/.exec(line)?.[1]?.toLowerCase();
    const key = field && field in fills ? field : sectionKey(heading);
    const filled = fills[key]?.join(' ');
    if (field) out.push(`- **${field.charAt(0).toUpperCase()}${field.slice(1)}:** ${filled ?? why.why}`);
    else if (line.startsWith('- ')) out.push(`- ${filled ?? why.why}`);
    else out.push(filled ?? why.why);
  }
  return out.join('\n');
}

/** The fill for a TODO line under a heading (the draft's own headings, in any wording the checker accepts). */
function sectionKey(heading: string): string {
  if (heading.includes('well')) return 'went well';
  if (heading.includes('wrong')) return 'went wrong';
  if (heading.includes('lucky')) return 'lucky';
  if (heading.includes('internal')) return 'internal';
  if (heading.includes('external')) return 'external';
  if (heading.includes('detect')) return 'detection';
  if (heading.includes('resolution')) return 'resolution';
  if (heading.includes('summary')) return 'summary';
  return '';
}
