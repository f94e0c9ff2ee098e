import { describe, expect, it } from 'vitest';
import { duration } from '../scenario/scenario-schema.ts';
import { defaultGrading, defaultWeights, gradingBlock, gradingSettings } from './grading-weights.ts';

describe('grading settings', () => {
  it('when a scenario has no grading block, then every setting is the default and the weights add up to 100', () => {
    expect(gradingSettings(undefined)).toEqual({ ...defaultGrading, weights: defaultWeights });
    expect(Object.values(defaultWeights).reduce((sum, points) => sum + points, 0)).toBe(100);
  });

  it('when a block overrides some settings, then only those change, with durations parsed', () => {
    const block = gradingBlock(duration).parse({ weights: { pir: 0 }, firstUpdateWithin: '3m', collateralWindow: '90s' });
    const settings = gradingSettings(block);
    expect(settings.weights).toEqual({ ...defaultWeights, pir: 0 });
    expect(settings.firstUpdateWithinMs).toBe(180_000);
    expect(settings.collateralWindowMs).toBe(90_000);
    expect(settings.needlessLever).toBe(defaultGrading.needlessLever);
  });

  it('when a block names an unknown part or a negative weight, then it is refused', () => {
    expect(gradingBlock(duration).safeParse({ weights: { speed: 5 } }).success).toBe(false);
    expect(gradingBlock(duration).safeParse({ weights: { detect: -1 } }).success).toBe(false);
  });
});
