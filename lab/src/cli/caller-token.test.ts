import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { callerToken, hasPersonalToken, personalTokenPath } from './caller-token.ts';
import { LabRefusal } from './command.ts';

let home: string;
let stateFile: string;
const operatorToken = 'o'.repeat(43);
const personal = 'p'.repeat(43);

beforeEach(() => {
  home = mkdtempSync(path.join(os.tmpdir(), 'caller-token-'));
  stateFile = path.join(home, 'state', 'operator-token');
  mkdirSync(path.dirname(stateFile));
  writeFileSync(stateFile, `${operatorToken}\n`, { mode: 0o600 });
});
afterEach(() => rmSync(home, { recursive: true, force: true }));

function writePersonal(text: string, mode: number) {
  mkdirSync(path.dirname(personalTokenPath(home)), { recursive: true });
  writeFileSync(personalTokenPath(home), text);
  chmodSync(personalTokenPath(home), mode);
}

describe('the token the CLI sends', () => {
  it('when FIREDRILL_TOKEN is set, then it is sent, before any file', () => {
    writePersonal(personal, 0o600);
    expect(callerToken({ env: { FIREDRILL_TOKEN: ' env-token \n' }, home, stateFile, role: 'operator' })).toBe('env-token');
  });

  it('when ~/.config/firedrill/token is there and only its owner can read it, then it is sent, before the state dir token', () => {
    writePersonal(`${personal}\n`, 0o600);
    expect(callerToken({ env: {}, home, stateFile, role: 'operator' })).toBe(personal);
    chmodSync(personalTokenPath(home), 0o400);
    expect(callerToken({ env: { FIREDRILL_TOKEN: '' }, home, stateFile, role: 'instructor' })).toBe(personal);
  });

  it('when ~/.config/firedrill/token can be read by others, then the CLI refuses, naming the file and the fix', () => {
    for (const mode of [0o644, 0o640, 0o604, 0o660]) {
      writePersonal(personal, mode);
      const attempt = () => callerToken({ env: {}, home, stateFile, role: 'operator' });
      expect(attempt).toThrow(LabRefusal);
      expect(attempt).toThrow(`chmod 600 ${personalTokenPath(home)}`);
    }
  });

  it('when ~/.config/firedrill/token is empty, then the CLI refuses rather than send nothing', () => {
    writePersonal('\n', 0o600);
    expect(() => callerToken({ env: {}, home, stateFile, role: 'operator' })).toThrow(/is empty/);
  });

  it("when there is no token of one's own, then the state dir's token for the role is sent", () => {
    expect(callerToken({ env: {}, home, stateFile, role: 'operator' })).toBe(operatorToken);
  });

  it('when there is no token anywhere, then the refusal says where a token can go (or that only the instructor can do this)', () => {
    const missing = path.join(home, 'state', 'nothing-here');
    expect(() => callerToken({ env: {}, home, stateFile: missing, role: 'operator' })).toThrow(/set FIREDRILL_TOKEN or put yours in/);
    expect(() => callerToken({ env: {}, home, stateFile: missing, role: 'instructor' })).toThrow(/only the instructor can do this/);
  });
});

describe('whether the caller brings its own token', () => {
  it("when FIREDRILL_TOKEN is set or ~/.config/firedrill/token exists, then yes; with only the state dir's, no", () => {
    expect(hasPersonalToken({ env: {}, home })).toBe(false);
    expect(hasPersonalToken({ env: { FIREDRILL_TOKEN: '  ' }, home })).toBe(false);
    expect(hasPersonalToken({ env: { FIREDRILL_TOKEN: 'x' }, home })).toBe(true);
    writePersonal(personal, 0o600);
    expect(hasPersonalToken({ env: {}, home })).toBe(true);
  });
});
