/**
 * `lab runbook …` and `lab quiz` as a user runs them, with no lab running (a fresh state dir):
 * what needs no lab works, and what needs one refuses before acting. Running a runbook against a
 * real training process is training/test/runbooks-quiz.int.test.ts.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const repoRoot = path.resolve(import.meta.dirname, '..', '..');
const cli = path.join(repoRoot, 'lab', 'src', 'main.ts');
const dir = mkdtempSync(path.join(os.tmpdir(), 'runbook-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const lab = (...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> =>
  new Promise((resolve) => {
    execFile(
      process.execPath,
      [cli, ...args],
      { env: { ...process.env, LAB_STATE_DIR: path.join(dir, 'state') }, cwd: dir, timeout: 30_000 },
      (error, stdout, stderr) => {
        resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr });
      },
    );
  });

describe('lab runbook', () => {
  it('when listed, then each runbook of docs/runbooks shows its kind, title and parameters', async () => {
    const { code, stdout } = await lab('runbook', 'list');
    expect(code).toBe(0);
    expect(stdout).toMatch(/^latency-rollback\s+remediation\s+Roll back the release that made a service slow\s+\(--param service=…\)$/m);
    expect(stdout).toMatch(/^worker-diagnose\s+diagnostic\s+/m);
  });

  it("when a trainee's own file is checked, then a good one is ok and a bad one lists file:line: field problems with exit 1", async () => {
    writeFileSync(path.join(dir, 'mine.runbook.yaml'), 'name: mine\ntitle: Mine\nkind: diagnostic\nsteps:\n  - { name: look, command: npx lab status }\n');
    expect(await lab('runbook', 'check', './mine.runbook.yaml')).toMatchObject({ code: 0, stdout: 'ok: mine.runbook.yaml: mine (diagnostic, 1 step)\n' });

    writeFileSync(path.join(dir, 'bad.runbook.yaml'), 'name: bad\ntitle: Bad\nkind: diagnostic\nsteps:\n  - name: pull\n    lever: restart everything\n');
    const bad = await lab('runbook', 'check', './bad.runbook.yaml');
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/^bad\.runbook\.yaml:6: steps\.0\.lever: "restart everything" is not a lever/m);
  });

  it('when a parameter is missing or wrong, then it is a usage error before the lab is even looked for', async () => {
    const missing = await lab('runbook', 'run', 'latency-rollback');
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('service: required');
    const wrong = await lab('runbook', 'run', 'latency-rollback', '--param', 'service=database', '--dry-run');
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toContain('"database" is not one of api, payments');
  });

  it('when the runbook does not exist, or the lab is not running, then it says so without a stack trace', async () => {
    const unknown = await lab('runbook', 'run', 'no-such-runbook');
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/no runbook "no-such-runbook" in .*docs\/runbooks \(`lab runbook list`\)/);
    const down = await lab('runbook', 'run', 'latency-rollback', '--param', 'service=payments', '--dry-run');
    expect(down.code).toBe(3);
    expect(down.stderr).toContain('lab is not running');
    expect((await lab('quiz', '--answers', 'answers.yaml')).code).toBe(3);
  });

  it('when an option belongs to another action, then it is a usage error', async () => {
    const { code, stderr } = await lab('runbook', 'list', '--dry-run');
    expect(code).toBe(2);
    expect(stderr).toContain('lab runbook list takes no --dry-run');
  });
});
