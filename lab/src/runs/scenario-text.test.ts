import { describe, expect, it } from 'vitest';
import { toScenarioView, type ScenarioView } from '@firedrill/training';
import { humanDuration, scenarioDetails, scenarioTable } from './scenario-text.ts';

const operatorView: ScenarioView = {
  id: 'lab1-high-latency',
  title: 'Checkout is slow',
  curriculum: 'Day 4, Lab 1',
  difficulty: 1,
  timeboxMs: 1_200_000,
  briefing: '# Checkout is slow\n\nWatch the golden signals.\n',
  par: { detect: 180_000, acknowledge: 300_000, mitigate: 720_000, resolve: 1_080_000 },
};

describe('scenarios as text', () => {
  it('when durations are shown, then they read as scenario files write them', () => {
    expect([0, 45_000, 90_000, 1_200_000, 5_400_000, 3_600_000].map(humanDuration)).toEqual(['0s', '45s', '1m30s', '20m', '1h30m', '1h']);
  });

  it('when scenarios are listed, then the columns line up under their headings; none at all says so', () => {
    expect(
      scenarioTable([operatorView, { ...operatorView, id: 'oncall', title: 'On call', curriculum: 'On-call simulation', difficulty: 3, timeboxMs: 2_700_000 }]),
    ).toBe(
      [
        'ID                 TITLE             CURRICULUM          DIFFICULTY  TIMEBOX',
        'lab1-high-latency  Checkout is slow  Day 4, Lab 1        1/5         20m',
        'oncall             On call           On-call simulation  3/5         45m',
      ].join('\n'),
    );
    expect(scenarioTable([])).toBe('no scenarios: the lab found none in scenarios/');
  });

  it("when an operator shows a scenario, then it prints what trainees may know and says the answer key is the instructor's", () => {
    expect(scenarioDetails(operatorView, {})).toBe(
      [
        'Checkout is slow (lab1-high-latency)',
        'Day 4, Lab 1 · difficulty 1/5 · timebox 20m',
        'par: detect 3m, acknowledge 5m, mitigate 12m, resolve 18m',
        '',
        '# Checkout is slow',
        '',
        'Watch the golden signals.',
        '',
        'The answer key and hints are not shown: they are the instructor’s (the instructor token is not readable here).',
      ].join('\n'),
    );
  });

  it('when the instructor shows a scenario, then the answer key and every hint follow, with a warning to keep them from trainees', () => {
    const full: ScenarioView = {
      ...operatorView,
      answer: { severity: 'P2', category: 'bad-release', rootCause: 'payments 2.4.0 scores every charge synchronously' },
      hints: [
        { after: 180_000, cost: 5, text: 'Which service got slower first?' },
        { cost: 25, text: '`lab rollback payments` ends it.' },
      ],
    };

    expect(scenarioDetails(full, { instructorTokenFile: '/lab/secrets/instructor-token' }).split('\n').slice(8)).toEqual([
      'Instructor view (the instructor token is readable at /lab/secrets/instructor-token): keep this from trainees.',
      'answer: P2, bad-release',
      '  root cause: payments 2.4.0 scores every charge synchronously',
      'hint 1 after 3m (cost 5): Which service got slower first?',
      'hint 2 (cost 25): `lab rollback payments` ends it.',
    ]);
  });

  it('when a scenario has no par (on-call), then the line says whose par applies', () => {
    const { par: _, ...oncall } = operatorView;

    expect(scenarioDetails(oncall, {}).split('\n')[2]).toBe('par: none (an on-call run takes the par of the lab it picks)');
  });

  it('when the instructor gets the loaded scenario nested, with the timebox as `timebox`, then it reads as the flat view', () => {
    const nested = {
      scenario: { id: 'lab1-high-latency', title: 'Checkout is slow', curriculum: 'Day 4, Lab 1', difficulty: 1, timebox: 1_200_000 },
      briefing: 'Watch.',
    };

    expect(toScenarioView(nested)).toMatchObject({ id: 'lab1-high-latency', timeboxMs: 1_200_000, briefing: 'Watch.' });
    expect(toScenarioView({ ...operatorView })).toEqual(operatorView);
  });
});
