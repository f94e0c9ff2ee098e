import { describe, expect, it } from 'vitest';
import { UsageError } from '../src/cli/command.ts';
import type { LabConfig } from '../src/config/lab-config.ts';
import { reportCommand } from '../src/commands/report.ts';
import { scoreboardTable } from '../src/commands/scoreboard.ts';

describe('lab report', () => {
  it('when two formats are asked for, then it is a usage error before the lab is asked anything', async () => {
    await expect(reportCommand.run({ values: { json: true, html: true }, positionals: [], config: {} as LabConfig })).rejects.toThrow(
      new UsageError('choose one of --json, --md, --html (got --json --html)'),
    );
  });
});

describe('lab scoreboard', () => {
  it('when teams have runs, then each team shows once with its best score, and a run without a score says why', () => {
    const table = scoreboardTable({
      teams: [
        {
          team: 'red',
          best: 82.5,
          runs: [
            { runId: 'run-0123456789ab', scenario: 'lab1-high-latency', state: 'resolved', endedAt: null, debriefed: true, score: 82.5, pending: null },
            { runId: 'run-ba9876543210', scenario: null, state: 'timed_out', endedAt: null, debriefed: false, score: null, pending: 'after the debrief' },
          ],
        },
      ],
    });
    const lines = table.split('\n');
    expect(lines[0]).toMatch(/^TEAM\s+BEST\s+RUN\s+SCENARIO\s+STATE\s+SCORE$/);
    expect(lines[1]).toMatch(/^red\s+82\.5\s+run-0123456789ab\s+lab1-high-latency\s+resolved\s+82\.5$/);
    expect(lines[2]).toMatch(/^\s+run-ba9876543210\s+\(blind\)\s+timed_out\s+- \(after the debrief\)$/);
    expect(scoreboardTable({ teams: [] })).toBe('no run yet');
  });
});
