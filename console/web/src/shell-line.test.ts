import { describe, expect, it } from 'vitest';
import { shellLine } from './shell-line.ts';

describe('a shell command in the event list', () => {
  it('when a trainee ran a command, then the list shows the line and a failing exit status', () => {
    expect(shellLine({ kind: 'shell.command', data: { command: 'redis-cli llen q', exitStatus: 0 } })).toBe(': $ redis-cli llen q');
    expect(shellLine({ kind: 'shell.command', data: { command: 'curl -f x', exitStatus: 22 } })).toBe(': $ curl -f x, exit 22');
    expect(shellLine({ kind: 'page', data: { command: 'x' } })).toBe('');
  });
});
