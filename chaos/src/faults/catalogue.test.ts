import { describe, expect, it } from 'vitest';
import { catalogue, faultSpec } from './catalogue.ts';

describe('faultSpec', () => {
  it('when a family is valid, then defaults are filled in', () => {
    expect(faultSpec.parse({ family: 'latency', target: 'api', ms: 300 })).toEqual({ family: 'latency', target: 'api', ms: 300, jitterMs: 0, rate: 1 });
    expect(faultSpec.parse({ family: 'database-loss' })).toEqual({ family: 'database-loss', target: 'postgres', mode: 'refused', ms: 500 });
    expect(faultSpec.parse({ family: 'payment-failures', mode: 'timeout' })).toMatchObject({ target: 'payments', rate: 0.5 });
  });

  it('when a new family is named alone, then it gets its target and settings by default', () => {
    expect(faultSpec.parse({ family: 'pool-leak' })).toEqual({ family: 'pool-leak', target: 'api', rate: 0.2 });
    expect(faultSpec.parse({ family: 'memory-leak' })).toEqual({ family: 'memory-leak', target: 'api', mbPerMinute: 60, kbPerRequest: 0 });
    expect(faultSpec.parse({ family: 'redis-memory-pressure' })).toEqual({ family: 'redis-memory-pressure', target: 'redis', mode: 'fill', maxmemoryMb: 64 });
    expect(faultSpec.parse({ family: 'retry-amplification' })).toEqual({ family: 'retry-amplification', target: 'api', attempts: 8, backoffMs: 10 });
  });

  it('when any family is bound to a release, then the binding is kept with its spec', () => {
    const release = { service: 'payments', version: '2.4.0-rc.1' };
    expect(faultSpec.parse({ family: 'payment-failures', mode: 'declined', release })).toMatchObject({ release });
    expect(faultSpec.parse({ family: 'pool-leak', release: { service: 'api', version: '2.4.0' } })).toMatchObject({
      release: { service: 'api', version: '2.4.0' },
    });
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
    [{ family: 'pool-leak', target: 'payments' }, 'target'],
    [{ family: 'pool-leak', rate: 2 }, 'rate'],
    [{ family: 'memory-leak', mbPerMinute: -1 }, 'mbPerMinute'],
    [{ family: 'memory-leak', kbPerRequest: 1e9 }, 'kbPerRequest'],
    [{ family: 'redis-memory-pressure', mode: 'evict' }, 'mode'],
    [{ family: 'redis-memory-pressure', maxmemoryMb: 0 }, 'maxmemoryMb'],
    [{ family: 'retry-amplification', attempts: 1 }, 'attempts'],
    [{ family: 'retry-amplification', attempts: 8.5 }, 'attempts'],
    [{ family: 'retry-amplification', backoffMs: 5_000 }, 'backoffMs'],
    [{ family: 'latency', target: 'api', ms: 1, release: { service: 'database', version: '1.0.0' } }, 'release.service'],
    [{ family: 'latency', target: 'api', ms: 1, release: { service: 'api', version: 'latest' } }, 'release.version'],
    [{ family: 'latency', target: 'api', ms: 1, release: { service: 'api' } }, 'release.version'],
    [{ family: 'latency', target: 'api', ms: 1, release: { service: 'api', version: '1.0.0', by: 'x' } }, 'release'],
  ])('when %j is requested, then validation names %j', (input, field) => {
    const result = faultSpec.safeParse(input);
    expect(result.success).toBe(false);
    expect(result.error!.issues.map((i) => i.path.join('.'))).toContain(field);
  });

  it('when the catalogue is listed, then it covers exactly the families the schema accepts', () => {
    const families = catalogue.map((c) => c.family).sort();
    expect(families).toEqual([
      'database-loss',
      'errors',
      'latency',
      'memory-leak',
      'payment-failures',
      'pool-leak',
      'redis-loss',
      'redis-memory-pressure',
      'retry-amplification',
      'worker-death',
    ]);
    for (const family of families) expect(faultSpec.options.some((o) => o.shape.family.value === family)).toBe(true);
  });
});
