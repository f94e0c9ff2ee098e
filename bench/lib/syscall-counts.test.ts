import { describe, expect, it } from 'vitest';
import { parseStraceSummary } from './syscall-counts.ts';

describe('parseStraceSummary', () => {
  it('when strace -c prints its table, then each call is counted by name, with or without errors, and the total is left out', () => {
    const table = [
      '% time     seconds  usecs/call     calls    errors syscall',
      '------ ----------- ----------- --------- --------- ----------------',
      ' 61.20    0.120000          20      6000           writev',
      ' 30.00    0.060000           5     12000      5800 read',
      '  0.00    0.000000           0         7           epoll_pwait',
      '------ ----------- ----------- --------- --------- ----------------',
      '100.00    0.180000                 18007      5800 total',
    ].join('\n');
    expect(Object.fromEntries(parseStraceSummary(table))).toEqual({ writev: 6000, read: 12000, epoll_pwait: 7 });
  });
});
