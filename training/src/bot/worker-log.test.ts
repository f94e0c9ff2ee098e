import { describe, expect, it } from 'vitest';
import { findPoisonJob } from './worker-log.ts';

const line = (fields: Record<string, unknown>) => JSON.stringify({ service: 'worker', version: '2.3.0', ...fields });
const fatal = (jobId: string, time: string) =>
  line({ level: 'fatal', time, jobId, msg: "TypeError: Cannot read properties of undefined (reading 'id') while decoding job payload" });
const since = Date.parse('2026-05-04T10:00:00Z');

describe('the poison job in the worker log', () => {
  it('when two fatal lines name the same job, then that job is the suspect with its crash count', () => {
    const lines = [
      line({ level: 'info', time: '2026-05-04T10:00:01Z', jobId: 'order-1', msg: 'order fulfilled' }),
      fatal('legacy-f1', '2026-05-04T10:00:02Z'),
      line({ level: 'info', time: '2026-05-04T10:00:03Z', msg: 'worker started' }),
      fatal('legacy-f1', '2026-05-04T10:00:05Z'),
      '{"level":"fatal","jobId":"cut-by-the-ta',
    ];
    expect(findPoisonJob(lines, since)).toEqual({ id: 'legacy-f1', crashes: 2 });
  });

  it('when a job crashed the worker once, or before this run, then there is no suspect yet', () => {
    expect(findPoisonJob([fatal('legacy-f1', '2026-05-04T10:00:02Z')], since)).toBeUndefined();
    expect(findPoisonJob([fatal('old', '2026-05-04T09:00:00Z'), fatal('old', '2026-05-04T09:00:05Z')], since)).toBeUndefined();
  });
});
