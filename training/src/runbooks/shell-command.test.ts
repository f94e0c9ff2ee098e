import { describe, expect, it } from 'vitest';
import { runShellCommand } from './shell-command.ts';

describe('a runbook shell command', () => {
  it('when it exits 0, then it passes with what it printed on stdout and stderr; otherwise it fails with its exit code', async () => {
    expect(await runShellCommand('echo out; echo err >&2', { signal: new AbortController().signal })).toEqual({ ok: true, output: 'out\nerr\n' });
    expect(await runShellCommand('echo nope; exit 3', { signal: new AbortController().signal })).toEqual({ ok: false, output: 'nope\n(exit 3)' });
  });

  it('when it is given variables, then the command sees them', async () => {
    const { output } = await runShellCommand('echo "$FIREDRILL_API_URL"', {
      signal: new AbortController().signal,
      env: { FIREDRILL_API_URL: 'http://127.0.0.1:7400' },
    });
    expect(output).toBe('http://127.0.0.1:7400\n');
  });

  it('when aborted, then the whole pipeline is killed at once', async () => {
    const controller = new AbortController();
    const started = Date.now();
    const running = runShellCommand('sleep 30 | cat', { signal: controller.signal });
    setTimeout(() => controller.abort(), 100);
    const result = await running;
    expect(result.ok).toBe(false);
    expect(Date.now() - started).toBeLessThan(5000);
  });
});
