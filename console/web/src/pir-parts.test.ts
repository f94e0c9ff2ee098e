import { describe, expect, it } from 'vitest';
import { findingsByPart, joinPir, partOfLine, splitPir } from './pir-parts.ts';

const review = [
  '# Checkout was slow',
  '',
  'Run run-1.',
  '## Summary',
  'TODO(team)',
  '',
  '## Impact',
  '```',
  '## not a heading',
  '```',
  '42 orders failed',
].join('\n');

describe('the PIR editor cutting a review into sections', () => {
  it('when a review is split and joined, then each ## heading is a part, fenced lines stay inside, and the text comes back unchanged', () => {
    const parts = splitPir(review);
    expect(parts.map((p) => p.heading)).toEqual(['', 'Summary', 'Impact']);
    expect(parts[0]?.body).toBe('# Checkout was slow\n\nRun run-1.');
    expect(parts[2]?.body).toBe('```\n## not a heading\n```\n42 orders failed');
    expect(joinPir(parts)).toBe(review);
    const edited = parts.map((p) => (p.heading === 'Summary' ? { ...p, body: 'Checkout p95 rose to 3 s.\n' } : p));
    expect(joinPir(edited)).toContain('## Summary\nCheckout p95 rose to 3 s.\n\n## Impact');
  });

  it("when the checker names a line, then the finding goes beside the section holding it; a finding with no line goes to the title's", () => {
    const parts = splitPir(review);
    expect([1, 3, 4, 5, 6, 7, 11].map((line) => partOfLine(parts, line))).toEqual([0, 0, 1, 1, 1, 2, 2]);
    const grouped = findingsByPart(parts, [
      { rule: 'placeholder', line: 5, message: 'placeholder left: "TODO(team)"' },
      { rule: 'missing-section', line: null, message: 'missing section: Timeline (UTC)' },
      { rule: 'blame', line: 11, message: 'blameful wording' },
    ]);
    expect(grouped.get(1)?.map((f) => f.rule)).toEqual(['placeholder']);
    expect(grouped.get(0)?.map((f) => f.rule)).toEqual(['missing-section']);
    expect(grouped.get(2)?.map((f) => f.rule)).toEqual(['blame']);
  });
});
