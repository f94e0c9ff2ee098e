import { describe, expect, it } from 'vitest';
import { createLogger } from '../logger/index.ts';
import { ServiceResources } from './service-resources.ts';

const silent = createLogger('test', 'silent');

describe('ServiceResources', () => {
  it('when a start-up fails part way, then what it opened is closed in reverse order', async () => {
    const closed: string[] = [];
    async function start() {
      await using resources = new ServiceResources(silent);
      resources.add('pool', 'pool', (r) => closed.push(r));
      resources.add('redis', 'redis', (r) => closed.push(r));
      throw new Error('port in use');
    }
    await expect(start()).rejects.toThrow('port in use');
    expect(closed).toEqual(['redis', 'pool']);
  });

  it('when a start-up succeeds, then nothing is closed until the handed-over close() runs, once', async () => {
    const closed: string[] = [];
    async function start() {
      await using resources = new ServiceResources(silent);
      resources.add('pool', 'pool', (r) => closed.push(r));
      resources.defer('timer', () => closed.push('timer'));
      return resources.handOver();
    }
    const close = await start();
    expect(closed).toEqual([]);
    await Promise.all([close(), close()]);
    await close();
    expect(closed).toEqual(['timer', 'pool']);
  });

  it('when one close step fails, then it is logged and the others still run', async () => {
    const closed: string[] = [];
    const lines: string[] = [];
    const logger = createLogger('test', 'error', { write: (line: string) => void lines.push(line) });
    const resources = new ServiceResources(logger);
    resources.add('pool', 'pool', (r) => closed.push(r));
    resources.defer('broken', () => {
      throw new Error('already gone');
    });
    resources.add('server', 'server', (r) => closed.push(r));
    await resources.handOver()();
    expect(closed).toEqual(['server', 'pool']);
    expect(lines.map((l) => JSON.parse(l) as { step: string; msg: string })).toMatchObject([{ step: 'broken', msg: 'close step failed' }]);
  });
});
