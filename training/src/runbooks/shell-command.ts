import { spawn } from 'node:child_process';
import type { ExecutorResult } from './runbook-executors.ts';

/** Output kept from a command while it runs: the runner keeps only the end of it anyway. */
const keptBytes = 16 * 1024;

/**
 * Runs `command` with sh -c, as the user running the runbook, in its own process group so that a
 * timeout ends the whole pipeline (`curl … | jq`), not only the shell. ok when it exits 0; output
 * is stdout and stderr interleaved, the last 16 kB.
 */
export function runShellCommand(command: string, options: { signal: AbortSignal; env?: Record<string, string>; cwd?: string }): Promise<ExecutorResult> {
  return new Promise((resolve) => {
    const child = spawn('sh', ['-c', command], {
      cwd: options.cwd,
      env: { ...process.env, ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    let output = Buffer.alloc(0);
    const keep = (chunk: Buffer) => {
      output = Buffer.concat([output, chunk]);
      if (output.length > keptBytes) output = output.subarray(output.length - keptBytes);
    };
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    const stop = () => {
      try {
        if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
      } catch {
        // Already gone.
      }
    };
    if (options.signal.aborted) stop();
    options.signal.addEventListener('abort', stop, { once: true });
    child.on('error', (error) => {
      options.signal.removeEventListener('abort', stop);
      resolve({ ok: false, output: `cannot run sh: ${error.message}` });
    });
    child.on('close', (code, signal) => {
      options.signal.removeEventListener('abort', stop);
      const text = output.toString('utf8');
      if (code === 0) resolve({ ok: true, output: text });
      else resolve({ ok: false, output: `${text}${text && !text.endsWith('\n') ? '\n' : ''}(exit ${code ?? signal})` });
    });
  });
}
