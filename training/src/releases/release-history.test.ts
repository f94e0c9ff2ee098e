import { describe, expect, it } from 'vitest';
import { baselineVersion, currentVersion, rollbackTarget, versionStack } from './release-history.ts';

const deploy = (version: string) => ({ action: 'deploy' as const, version });
const rollback = (version: string) => ({ action: 'rollback' as const, version });

describe('release history', () => {
  it('when nothing was deployed, then the service runs the baseline and there is nothing to roll back', () => {
    expect(currentVersion([])).toBe(baselineVersion);
    expect(rollbackTarget([])).toBeUndefined();
  });

  it('when a version was deployed, then a rollback returns to the baseline', () => {
    expect(currentVersion([deploy('2.4.0')])).toBe('2.4.0');
    expect(rollbackTarget([deploy('2.4.0')])).toBe(baselineVersion);
  });

  it('when a rollback undid a release, then another rollback goes further back, never to the release just undone', () => {
    const history = [deploy('2.4.0'), deploy('2.5.0'), rollback('2.4.0')];
    expect(currentVersion(history)).toBe('2.4.0');
    expect(rollbackTarget(history)).toBe(baselineVersion);
    expect(versionStack([...history, rollback(baselineVersion)])).toEqual([baselineVersion]);
  });

  it('when a rollback is recorded at the baseline, then the stack never goes below the baseline', () => {
    expect(versionStack([rollback(baselineVersion), rollback(baselineVersion)])).toEqual([baselineVersion]);
  });
});
