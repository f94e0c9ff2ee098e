import { describe, expect, it } from 'vitest';
import { checkPir, type PirFinding } from './pir-check.ts';
import { scorePir } from './pir-score.ts';

/** A finished, blameless review: the baseline each test breaks one way. */
const goodPir = `# Post-incident review: Checkout is slow

- **Run:** run-0123456789ab
- **Date:** 2025-03-04 (times in UTC)
- **Authors:** Ada, Grace
- **Status:** in review

## Summary

Payments 2.4.0 added a synchronous fraud check; checkout p95 rose to 820 ms for 14 minutes until
the release was rolled back.

## Impact

- **Duration:** 14 min 20 s (10:00:05 to 10:14:25 UTC)
- **Orders failed:** 37
- **Error budget burned:** 12.5% of the checkout-availability budget

## Responders and roles

| role | who | assigned (UTC) | source |
|---|---|---|---|
| incident commander | Ada | 10:03:00 | incident.role #12 |
| operations | Grace | 10:03:30 | incident.role #13 |

## Detection

ApiHighLatencyP95 fired at 10:01:10 and paged the team; Ada acknowledged at 10:02:40.

## Timeline (UTC)

| time (UTC) | what happened | source |
|---|---|---|
| 10:00:05 | probe failing: checkout p95 | probe.failing #5 · scenario |
| 10:06:00 | Grace ran \`rollback payments\` | lever.applied #20 · operator:grace |

## Trigger and root cause

- **Trigger:** the payments 2.4.0 release.
- **Root cause:** the fraud check runs inside the charge request, so its 500 ms adds to every checkout.

## Resolution

Rolling back payments ended it; the fraud check moves to an asynchronous queue.

## Lessons learned

### What went well
- The latency alert fired within a minute.

### What went wrong
- The release notes did not mention the synchronous call, so the deploy marker was not suspected first.

### Where we got lucky
- Traffic was low at the time.

## Action items

| action | type | owner | due | tracking |
|---|---|---|---|---|
| Run the fraud check asynchronously | prevent | payments team | 2025-04-01 | PAY-123 |
| Add a release-notes check for new synchronous calls | process | Grace | 2025-03-25 | OPS-7 |

## Messaging

### Internal
Checkout was slow for 14 minutes because of a payments release; it was rolled back.

### External
Between 10:00 and 10:14 UTC some checkouts were slow. It is fixed.
`;

const rules = (findings: readonly PirFinding[]) => findings.map((f) => f.rule);
const ofRule = (findings: readonly PirFinding[], rule: string) => findings.filter((f) => f.rule === rule);
/** The good review with one sentence added under Summary (line 10). */
const withSentence = (sentence: string) => goodPir.replace('## Impact', `${sentence}\n\n## Impact`);
const lineOf = (markdown: string, needle: string) => markdown.split('\n').findIndex((line) => line.includes(needle)) + 1;

describe('checkPir: a complete, blameless review', () => {
  it('when every section is filled and the wording is blameless, then there are no findings and the score is 100', () => {
    expect(checkPir(goodPir, { names: ['ada', 'grace'] })).toEqual([]);
    expect(scorePir(checkPir(goodPir))).toBe(100);
  });
});

describe('checkPir: sections', () => {
  it('when a section is missing, then each missing one is named, without a line', () => {
    const pir = goodPir.replace(/## Detection[\s\S]*?(?=## Timeline)/, '').replace(/## Messaging[\s\S]*$/, '');
    const missing = ofRule(checkPir(pir), 'missing-section');
    expect(missing.map((f) => f.message)).toEqual(['missing section: Detection', 'missing section: Messaging']);
    expect(missing.every((f) => f.line === null)).toBe(true);
  });

  it('when headings have odd case, other levels or extra words, then they still count', () => {
    const pir = goodPir
      .replace('## Impact', '## IMPACT (numbers)')
      .replace('## Detection', '### How we detected it')
      .replace('## Lessons learned', '## lessons we learned')
      .replace('## Action items', '## Follow-ups');
    expect(ofRule(checkPir(pir), 'missing-section')).toEqual([]);
  });

  it('when a heading has nothing under it (only blank lines, a comment or a sub-heading), then it counts as missing, on its line', () => {
    const pir = goodPir.replace(/(## Detection\n)[\s\S]*?(?=## Timeline)/, '$1\n<!-- later -->\n\n### Notes\n\n');
    const findings = ofRule(checkPir(pir), 'missing-section');
    expect(findings).toHaveLength(1);
    expect(findings[0]!.line).toBe(lineOf(pir, '## Detection'));
    expect(findings[0]!.message).toContain('is empty');
  });

  it('when a section heading appears only inside a code block, then it does not count', () => {
    const pir = goodPir.replace(/## Detection[\s\S]*?(?=## Timeline)/, '```\n## Detection\nalert fired\n```\n\n');
    expect(ofRule(checkPir(pir), 'missing-section').map((f) => f.message)).toEqual(['missing section: Detection']);
  });

  it('when there is no # title, then it is reported', () => {
    expect(rules(checkPir(goodPir.replace('# Post-incident review: Checkout is slow', '')))).toContain('missing-title');
  });
});

describe('checkPir: placeholders', () => {
  it('when TODO(team), TBD or YYYY-MM-DD is left, then each line is reported', () => {
    const pir = goodPir
      .replace('- **Authors:** Ada, Grace', '- **Authors:** TODO(team): who wrote this')
      .replace('- **Trigger:** the payments 2.4.0 release.', '- **Trigger:** TBD');
    const placeholders = ofRule(checkPir(pir), 'placeholder');
    expect(placeholders.map((f) => f.line)).toEqual([lineOf(pir, 'Authors'), lineOf(pir, '**Trigger:**')]);
  });

  it('when a placeholder is inside a code block or an HTML comment, then it is not reported', () => {
    const pir = withSentence('<!-- TODO(team): remove this hint -->\n\n```\nTODO(team) inside a log\n```');
    expect(ofRule(checkPir(pir), 'placeholder')).toEqual([]);
  });
});

describe('checkPir: impact', () => {
  it('when the impact section has no number, then it is reported on its heading', () => {
    const pir = goodPir.replace(/(## Impact\n)[\s\S]*?(?=## Responders)/, '$1\nSome customers could not check out for a while.\n\n');
    const findings = ofRule(checkPir(pir), 'impact-number');
    expect(findings).toEqual([expect.objectContaining({ line: lineOf(pir, '## Impact') })]);
  });

  it('when the only number in the impact section is inside a code span, then it does not count', () => {
    const pir = goodPir.replace(/(## Impact\n)[\s\S]*?(?=## Responders)/, '$1\nMany checkouts failed (see `rate(http_requests_total[5m])`).\n\n');
    expect(rules(checkPir(pir))).toContain('impact-number');
  });
});

describe('checkPir: action items', () => {
  const withRows = (...rows: string[]) =>
    goodPir.replace(/(\| action \| type \| owner \| due \| tracking \|\n\|---\|---\|---\|---\|---\|\n)[\s\S]*?(?=\n## Messaging)/, `$1${rows.join('\n')}\n`);

  it('when an item has no owner, no valid type and no due date, then each is reported on its row', () => {
    const pir = withRows('| Add an alert on fraud-check latency |  | n/a | next week | |');
    const findings = checkPir(pir);
    const line = lineOf(pir, 'Add an alert on fraud-check latency');
    expect(ofRule(findings, 'action-owner')).toEqual([expect.objectContaining({ line })]);
    expect(ofRule(findings, 'action-type')).toEqual([expect.objectContaining({ line })]);
    expect(ofRule(findings, 'action-due')).toEqual([expect.objectContaining({ line })]);
  });

  it('when the type is two types at once or not one of mitigate/prevent/process, then it is reported', () => {
    const pir = withRows(
      '| a | mitigate/prevent | Ada | 2025-04-01 | X-1 |',
      '| b | fix | Ada | 2025-04-01 | X-2 |',
      '| c | Prevent | Ada | 2025-04-01 | X-3 |',
    );
    expect(ofRule(checkPir(pir), 'action-type').map((f) => f.line)).toEqual([lineOf(pir, '| a |'), lineOf(pir, '| b |')]);
  });

  it('when a due date is not a real calendar date, then it is reported', () => {
    const pir = withRows('| a | prevent | Ada | 2025-02-30 | X-1 |', '| b | prevent | Ada | 2025-02-28 | X-2 |');
    expect(ofRule(checkPir(pir), 'action-due').map((f) => f.line)).toEqual([lineOf(pir, '| a |')]);
  });

  it("when the draft's placeholder row is left as it is, then the action, owner, type and due date are each reported once", () => {
    const pir = withRows('| TODO(team): what will change | mitigate, prevent or process | TODO(team) | YYYY-MM-DD | TODO(team) |');
    expect(rules(checkPir(pir)).sort()).toEqual(['action-due', 'action-owner', 'action-type', 'placeholder']);
  });

  it('when the table has no rows, then "no action items" is reported', () => {
    expect(rules(checkPir(withRows()))).toEqual(['no-action-items']);
  });

  it('when the action items are a list instead of a table, then it is reported', () => {
    const pir = goodPir.replace(/(## Action items\n)[\s\S]*?(?=\n## Messaging)/, '$1\n- make the fraud check asynchronous (Ada)\n');
    expect(rules(checkPir(pir))).toEqual(['action-items-table']);
  });

  it('when the table has no owner column, then it says which column is missing', () => {
    const pir = goodPir.replace('| action | type | owner | due | tracking |', '| action | type | notes | due | tracking |');
    expect(ofRule(checkPir(pir), 'action-items-table')[0]!.message).toContain('owner');
  });
});

describe('checkPir: timeline rows', () => {
  it('when a row has no time or no source, then it is reported', () => {
    const pir = goodPir.replace('| 10:06:00 | Grace ran `rollback payments` | lever.applied #20 · operator:grace |', '| soon after | we rolled back |  |');
    expect(ofRule(checkPir(pir), 'timeline-row').map((f) => f.message)).toEqual([
      'timeline row without a time (UTC, HH:MM:SS)',
      'timeline row without a source (an event, a graph, a log line)',
    ]);
  });
});

describe('checkPir: blame', () => {
  const blame = (sentence: string, names: string[] = ['ada', 'grace']) => ofRule(checkPir(withSentence(sentence), { names }), 'blame-name');

  it('when a system is next to a blame verb, then it is not blame', () => {
    expect(blame('The deploy caused the latency.')).toEqual([]);
    expect(blame('Payments failed to answer within the timeout.')).toEqual([]);
    expect(blame('The connection pool broke under load, and monitoring missed the first spike.')).toEqual([]);
    expect(blame('Postgres forgot nothing: the WAL was intact.')).toEqual([]);
  });

  it("when a person's possessive is next to a blame verb, then it is blame, on its line", () => {
    const pir = withSentence("Alice's deploy caused the latency.");
    const findings = ofRule(checkPir(pir), 'blame-name');
    expect(findings).toEqual([expect.objectContaining({ line: lineOf(pir, "Alice's deploy"), message: expect.stringContaining('Alice') })]);
  });

  it('when a capitalised name comes right before a blame verb, or after "by", then it is blame even if not a responder', () => {
    expect(blame('Bob forgot to update the release notes.')).toHaveLength(1);
    expect(blame('The outage was caused by Carol.')).toHaveLength(1);
    expect(blame('Checkout broke because Dave neglected the migration.')).toHaveLength(1);
  });

  it("when a responder's name is near a blame verb, then it is blame, and names given in lower case match the capitalised name", () => {
    expect(blame('Later Ada, in a hurry, should have checked the graphs.')).toHaveLength(1);
    expect(blame('Then grace broke the build.', ['grace'])).toHaveLength(0);
  });

  it("when a name is known only from the review's own Responders table, then it is used too", () => {
    const pir = withSentence('Then Grace quickly broke the build.');
    expect(ofRule(checkPir(pir), 'blame-name')).toHaveLength(1);
    expect(ofRule(checkPir(pir.replace('| operations | Grace |', '| operations | Hopper |')), 'blame-name')).toEqual([]);
  });

  it('when a pronoun or a word for a person is next to a blame verb, then it is blame', () => {
    expect(blame('He forgot to renew the certificate.')).toHaveLength(1);
    expect(blame('The on-call engineer failed to acknowledge the page.')).toHaveLength(1);
    expect(blame('Someone messed up the config.')).toHaveLength(1);
  });

  it('when "I/O" comes before a blame verb, then it is not a pronoun', () => {
    expect(blame('I/O errors caused the queue to back up.')).toEqual([]);
  });

  it("when a sentence wraps over two lines, then the name and verb are still found together, reported on the verb's line", () => {
    const pir = withSentence("Then Alice's\nchange caused the latency.");
    expect(ofRule(checkPir(pir), 'blame-name')).toEqual([expect.objectContaining({ line: lineOf(pir, 'change caused') })]);
  });

  it('when the name is hidden in backticks, then it still counts; a quoted command does not', () => {
    expect(blame('`Alice` caused the latency.')).toHaveLength(1);
    expect(blame('Running `git commit -m "Alice broke it"` was recorded.')).toEqual([]);
  });

  it('when the blame is inside a fenced code block, then it does not count', () => {
    expect(blame('```\nAlice broke the build (log line)\n```')).toEqual([]);
  });

  it("when trainees' quoted notes in the timeline carry blame, then the record is not flagged, but the same words in the team's prose are", () => {
    const inTimeline = goodPir.replace('| 10:06:00 |', '| 10:05:00 | note by ada: "Bob broke payments" | incident.note #19 · trainee:ada |\n| 10:06:00 |');
    expect(ofRule(checkPir(inTimeline), 'blame-name')).toEqual([]);
    expect(blame('As the note said, "Bob broke payments".')).toHaveLength(1);
  });
});

describe('checkPir: human error and hindsight', () => {
  const wording = (sentence: string) => rules(checkPir(withSentence(sentence)));

  it('when "human error" is written, even negated, then it is reported', () => {
    expect(wording('The cause was human error.')).toEqual(['human-error']);
    expect(wording('No human error was involved.')).toEqual(['human-error']);
    expect(wording('It was an operator mistake.')).toEqual(['human-error']);
  });

  it('when hindsight is written ("if … had …, … would not have", "should have", "could have been avoided"), then it is reported', () => {
    expect(wording('If the alert had been tuned, the outage would not have lasted so long.')).toEqual(['hindsight']);
    expect(wording('We should have rolled back sooner.')).toEqual(['hindsight']);
    expect(wording('This could have been avoided.')).toEqual(['hindsight']);
  });

  it('when a person and "should have" are in one sentence, then it is one blame finding, not also hindsight', () => {
    expect(wording('Alice should have rolled back sooner.')).toEqual(['blame-name']);
  });

  it('when "had" and "would" appear without the counterfactual shape, then it is not hindsight', () => {
    expect(wording('The release had a synchronous call; the queue would drain within a minute.')).toEqual([]);
  });
});

describe('scorePir', () => {
  it('when there are findings, then each costs its weight, capped per rule, and the score never goes below 0', () => {
    expect(scorePir([{ rule: 'blame-name', line: 3, message: '' }])).toBe(90);
    const manyDue = Array.from({ length: 20 }, (_, i) => ({ rule: 'action-due', line: i + 1, message: '' }));
    expect(scorePir(manyDue)).toBe(92);
    const everything = ['missing-section', 'blame-name', 'human-error', 'placeholder', 'impact-number', 'action-items-table'].flatMap((rule) =>
      Array.from({ length: 10 }, () => ({ rule, line: null, message: '' })),
    );
    expect(scorePir(everything)).toBe(0);
  });

  it('when a rule is unknown to the weights, then it still costs something', () => {
    expect(scorePir([{ rule: 'something-new', line: 1, message: '' }])).toBeLessThan(100);
  });
});
