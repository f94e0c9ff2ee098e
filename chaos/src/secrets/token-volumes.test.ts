import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, unlinkSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parseTokenVolume, shareTokens, type TokenVolume } from './token-volumes.ts';

const uid = process.getuid!();
const gid = process.getgid!();
const isRoot = uid === 0;

let root: string;
afterEach(() => rmSync(root, { recursive: true, force: true }));

function volumes(otherUid = uid, otherGid = gid): TokenVolume[] {
  root = mkdtempSync(path.join(os.tmpdir(), 'token-volumes-'));
  return [
    { dir: path.join(root, 'chaos'), uid, gid, tokens: ['instructor-token', 'agent-token'] },
    { dir: path.join(root, 'agents'), uid, gid, tokens: ['agent-token'] },
    { dir: path.join(root, 'prometheus'), uid: otherUid, gid: otherGid, tokens: ['instructor-token'] },
  ];
}

const read = (file: string) => readFileSync(file, 'utf8').trim();
const mode = (file: string) => statSync(file).mode & 0o777;

describe('shareTokens', () => {
  it('when the volumes are empty, then each token is generated in its first volume and copied read-only to the others', () => {
    const plan = volumes();
    const actions = shareTokens(plan);
    expect(actions.map((a) => [path.relative(root, a.file), a.action])).toEqual([
      ['chaos/instructor-token', 'generated'],
      ['chaos/agent-token', 'generated'],
      ['agents/agent-token', 'copied'],
      ['prometheus/instructor-token', 'copied'],
    ]);
    const instructor = read(path.join(root, 'chaos/instructor-token'));
    expect(instructor.length).toBeGreaterThanOrEqual(32);
    expect(read(path.join(root, 'prometheus/instructor-token'))).toBe(instructor);
    expect(read(path.join(root, 'agents/agent-token'))).toBe(read(path.join(root, 'chaos/agent-token')));
    expect(read(path.join(root, 'agents/agent-token'))).not.toBe(instructor);
    expect(mode(path.join(root, 'chaos/instructor-token'))).toBe(0o600);
    expect(mode(path.join(root, 'agents/agent-token'))).toBe(0o400);
    expect(mode(path.join(root, 'agents'))).toBe(0o700);
  });

  it('when run again, then the tokens are kept, and a deleted home token is regenerated and reaches every copy', () => {
    const plan = volumes();
    shareTokens(plan);
    const before = read(path.join(root, 'chaos/instructor-token'));
    expect(shareTokens(plan).filter((a) => a.action === 'generated')).toEqual([]);
    expect(read(path.join(root, 'prometheus/instructor-token'))).toBe(before);

    unlinkSync(path.join(root, 'chaos/instructor-token'));
    shareTokens(plan);
    const after = read(path.join(root, 'chaos/instructor-token'));
    expect(after).not.toBe(before);
    expect(read(path.join(root, 'prometheus/instructor-token'))).toBe(after);
  });

  it.runIf(isRoot)('when a volume is read by another user, then its folder and copy belong to that user alone', () => {
    shareTokens(volumes(65534, 65534));
    for (const file of ['prometheus', 'prometheus/instructor-token']) {
      const stat = statSync(path.join(root, file));
      expect({ file, uid: stat.uid, gid: stat.gid }).toEqual({ file, uid: 65534, gid: 65534 });
    }
    expect(statSync(path.join(root, 'chaos/instructor-token')).uid).toBe(uid);
  });
});

describe('parseTokenVolume', () => {
  it('when given dir, owner and tokens, then it reads them', () => {
    expect(parseTokenVolume('/secrets/agents:1000:1000:agent-token,alerts-token')).toEqual({
      dir: '/secrets/agents',
      uid: 1000,
      gid: 1000,
      tokens: ['agent-token', 'alerts-token'],
    });
  });

  it.each(['secrets:1000:1000:agent-token', '/secrets:node:1000:agent-token', '/secrets:1000:1000:', '/secrets:1000:1000:../etc/passwd'])(
    'when the spec is %s, then it is refused',
    (spec) => {
      expect(() => parseTokenVolume(spec)).toThrow();
    },
  );
});

describe('init-token-volumes.ts (the compose entry point)', () => {
  const script = path.join(import.meta.dirname, 'init-token-volumes.ts');

  it('when run, then it reports each file and the hint but never prints a token', () => {
    root = mkdtempSync(path.join(os.tmpdir(), 'token-volumes-'));
    const output = execFileSync(process.execPath, [script, `${root}/chaos:${uid}:${gid}:instructor-token`, '--hint', 'read it there'], { encoding: 'utf8' });
    expect(output).toBe(`${root}/chaos/instructor-token: generated\nread it there\n`);
    expect(output).not.toContain(read(path.join(root, 'chaos/instructor-token')));
  });

  it('when a volume spec is malformed, then it exits 2 naming the spec', () => {
    root = mkdtempSync(path.join(os.tmpdir(), 'token-volumes-'));
    let failure: { status?: number; stderr?: string } = {};
    try {
      execFileSync(process.execPath, [script, 'relative:1:1:agent-token'], { encoding: 'utf8', stdio: 'pipe' });
    } catch (err) {
      failure = err as typeof failure;
    }
    expect(failure.status).toBe(2);
    expect(failure.stderr).toContain('"relative:1:1:agent-token" is not');
  });
});
