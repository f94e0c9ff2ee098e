import { describe, expect, it } from 'vitest';
import { catalogue, faultSpec } from './catalogue.ts';

describe('faultSpec', () => {
  it('when a family is valid, then defaults are filled in', () => {
    expect(faultSpec.parse({ family: 'latency', target: 'api', ms: 300 })).toEqual({ family: 'latency', target: 'api', ms: 300, jitterMs: 0, rate: 1 });
    expect(faultSpec.parse({ family: 'database-loss' })).toEqual({ family: 'database-loss', target: 'postgres', mode: 'refused', ms: 500 });
    expect(faultSpec.parse({ family: 'payment-failures', mode: 'timeout' })).toMatchObject({ target: 'payments', rate: 0.5 });
  });

  it.each([
    [{ family: 'latency', target: 'worker', ms: 100 }, 'target'],
    [{ family: 'latency', target: 'api' }, 'ms'],
    [{ family: 'latency', target: 'api', ms: 100, route: '/api/orders' }, 'route'],
    [{ family: 'errors', target: 'api', rate: 1.5 }, 'rate'],
    [{ family: 'errors', target: 'api', status: 404 }, 'status'],
    [{ family: 'payment-failures', mode: 'explode' }, 'mode'],
    [{ family: 'worker-death', mode: 'slow', factor: 1 }, 'factor'],
    [{ family: 'redis-loss', mode: 'refused', colour: 'red' }, ''],
    [{ family: 'meteor-strike' }, 'family'],
  ])('when %j is requested, then validation names %j', (input, field) => {
    const result = faultSpec.safeParse(input);
    expect(result.success).toBe(false);
    expect(result.error!.issues.map((i) => i.path.join('.'))).toContain(field);
  });

  it('when the catalogue is listed, then it covers exactly the families the schema accepts', () => {
    const families = catalogue.map((c) => c.family).sort();
    expect(families).toEqual(['database-loss', 'errors', 'latency', 'payment-failures', 'redis-loss', 'worker-death']);
    for (const family of families) expect(faultSpec.options.some((o) => o.shape.family.value === family)).toBe(true);
  });
});
