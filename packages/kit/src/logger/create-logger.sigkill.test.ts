import { spawnSync } from 'node:child_process';
import { mkdtempSync, openSync, closeSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';

const loggerModule = path.join(import.meta.dirname, 'create-logger.ts');
let dir: string | undefined;
afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

describe('logger writes', () => {
  it('when a process logs lines and is then SIGKILLed (the worker-death fault), then every line is already in its log file', () => {
    dir = mkdtempSync(path.join(tmpdir(), 'logger-sigkill-'));
    const logFile = path.join(dir, 'service.log');
    // As the lab runs a shop service: stdout is the log file itself.
    const out = openSync(logFile, 'a');
    const script = `
      const { createLogger } = await import(${JSON.stringify(loggerModule)});
      const logger = createLogger('worker', 'info');
      for (let i = 0; i < 200; i++) logger.info({ i }, 'job fulfilled');
      process.kill(process.pid, 'SIGKILL');
    `;
    const child = spawnSync(process.execPath, ['--input-type=module', '-e', script], { stdio: ['ignore', out, 'pipe'] });
    closeSync(out);
    expect(child.signal).toBe('SIGKILL');
    const lines = readFileSync(logFile, 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { i: number; msg: string });
    expect(lines.map((l) => l.i)).toEqual(Array.from({ length: 200 }, (_, i) => i));
    expect(lines.every((l) => l.msg === 'job fulfilled')).toBe(true);
  });
});
