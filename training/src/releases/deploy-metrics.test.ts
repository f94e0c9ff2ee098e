import { createRegistry } from '@firedrill/kit';
import { describe, expect, it } from 'vitest';
import { createDeployMetrics } from './deploy-metrics.ts';

describe('deploy markers (lab_deploy_timestamp_seconds)', () => {
  it("carry a class's team when the release was a team's shop's, and no team in a single lab without a shop team label", async () => {
    const registry = createRegistry('training-test');
    const metrics = createDeployMetrics(registry);
    metrics.released({ service: 'payments', at: '2026-11-29T12:00:00.000Z', shop: '' }, '2.4.0');
    metrics.released({ service: 'payments', at: '2026-11-29T12:00:10.000Z', shop: 'blue' }, '2.4.0');
    const text = await registry.metrics();
    const seconds = (iso: string) => Date.parse(iso) / 1000;
    expect(text).toContain(`lab_deploy_timestamp_seconds{service="payments",version="2.4.0"} ${seconds('2026-11-29T12:00:00.000Z')}`);
    expect(text).toContain(`lab_deploy_timestamp_seconds{service="payments",version="2.4.0",team="blue"} ${seconds('2026-11-29T12:00:10.000Z')}`);
  });

  it('carry the single shop\'s team label where its series have one (the native lab\'s "open")', async () => {
    const registry = createRegistry('training-test');
    createDeployMetrics(registry, 'open').released({ service: 'api', at: '2026-11-29T12:00:00.000Z', shop: '' }, '2.5.0');
    expect(await registry.metrics()).toContain(
      `lab_deploy_timestamp_seconds{service="api",version="2.5.0",team="open"} ${Date.parse('2026-11-29T12:00:00.000Z') / 1000}`,
    );
  });
});
