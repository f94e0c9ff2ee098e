/**
 * `lab pir check` and `lab pir new`'s refusal as a user runs them: the real CLI as a child process.
 * Neither needs a running lab (check runs the same pure checker the server runs; new refuses to
 * overwrite before asking the lab anything). Drafting and submitting are covered against the real
 * training process in training/test/pir.int.test.ts.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const repoRoot = path.resolve(import.meta.dirname, '..', '..');
const cli = path.join(repoRoot, 'lab', 'src', 'main.ts');
const dir = mkdtempSync(path.join(os.tmpdir(), 'lab-pir-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const lab = (...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> =>
  new Promise((resolve) => {
    execFile(
      process.execPath,
      [cli, 'pir', ...args],
      { cwd: dir, env: { ...process.env, LAB_STATE_DIR: path.join(dir, 'state') }, timeout: 30_000 },
      (error, stdout, stderr) => {
        resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr });
      },
    );
  });

describe('lab pir', () => {
  it('when a review has findings, then `check` prints each as file:line: message and exits 1', async () => {
    writeFileSync(path.join(dir, 'bad.md'), '# PIR\n\n## Summary\n\nHuman error: Bob forgot to roll back.\n');
    const { code, stdout } = await lab('check', 'bad.md');
    expect(code).toBe(1);
    expect(stdout).toMatch(/^bad\.md:5: "Human error" \(even negated\)/m);
    expect(stdout).toMatch(/^bad\.md:5: blame: "Bob" next to "forgot"/m);
    expect(stdout).toMatch(/^bad\.md: missing section: Impact$/m);
  });

  it('when the file is missing, then `check` says so in one line and exits 1', async () => {
    const { code, stderr } = await lab('check', 'nothing-here.md');
    expect(code).toBe(1);
    expect(stderr).toContain('cannot read nothing-here.md');
    expect(stderr).not.toMatch(/^\s+at /m);
  });

  it('when the output file exists, then `new` refuses without --force and leaves it as it was', async () => {
    writeFileSync(path.join(dir, 'pir.md'), 'the team edits');
    const { code, stderr } = await lab('new');
    expect(code).toBe(1);
    expect(stderr).toContain('pir.md exists');
    expect(readFileSync(path.join(dir, 'pir.md'), 'utf8')).toBe('the team edits');
  });

  it('when the action is unknown, then it is a usage error', async () => {
    expect((await lab('publish')).code).toBe(2);
  });
});
