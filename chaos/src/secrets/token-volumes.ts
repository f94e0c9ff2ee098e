import { chmodSync, chownSync, existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ensureTokenFile } from '../shared/token-file.ts';

/**
 * Docker Compose has no lab state dir to keep the lab's tokens in, and its containers run as
 * different users (the Node processes as `node`, Prometheus and Alertmanager as `nobody`), so a
 * one-shot container running as root hands each token only to the volumes that need it:
 *  - a token's first volume is its home: generated there if absent (ensureTokenFile, the same
 *    code the native lab uses), kept across restarts, mode 0600;
 *  - every other volume listing it gets a fresh copy, mode 0400, so a rotated token (delete the
 *    home file, restart) reaches every reader;
 *  - each volume's folder and files belong to the one user that reads them, mode 0700.
 */
export interface TokenVolume {
  dir: string;
  uid: number;
  gid: number;
  /** File names, e.g. `instructor-token`. */
  tokens: string[];
}

export interface TokenAction {
  file: string;
  action: 'generated' | 'kept' | 'copied';
}

const tokenName = /^[a-z][a-z0-9-]*$/;

/** `<dir>:<uid>:<gid>:<token>[,<token>…]`, e.g. `/secrets/agents:1000:1000:agent-token`. */
export function parseTokenVolume(spec: string): TokenVolume {
  const [dir, uid, gid, tokens, ...rest] = spec.split(':');
  const id = (text: string | undefined) => (text !== undefined && /^\d+$/.test(text) ? Number(text) : undefined);
  const names = (tokens ?? '').split(',').filter(Boolean);
  if (!dir || !path.isAbsolute(dir) || rest.length > 0 || id(uid) === undefined || id(gid) === undefined || names.length === 0) {
    throw new Error(`"${spec}" is not <absolute dir>:<uid>:<gid>:<token>[,<token>…]`);
  }
  const bad = names.find((name) => !tokenName.test(name));
  if (bad) throw new Error(`"${bad}" is not a token file name (lower-case letters, digits and dashes)`);
  return { dir, uid: id(uid)!, gid: id(gid)!, tokens: names };
}

export function shareTokens(volumes: readonly TokenVolume[]): TokenAction[] {
  const actions: TokenAction[] = [];
  const values = new Map<string, string>();
  for (const volume of volumes) {
    mkdirSync(volume.dir, { recursive: true });
    chownSync(volume.dir, volume.uid, volume.gid);
    chmodSync(volume.dir, 0o700);
    for (const name of volume.tokens) {
      const file = path.join(volume.dir, name);
      const value = values.get(name);
      if (value === undefined) {
        const existed = existsSync(file);
        values.set(name, ensureTokenFile(file));
        chownSync(file, volume.uid, volume.gid);
        actions.push({ file, action: existed ? 'kept' : 'generated' });
      } else {
        // Replaced, not rewritten in place: a copy left read-only (0400) by the last run stays so.
        rmSync(file, { force: true });
        writeFileSync(file, `${value}\n`, { mode: 0o400, flag: 'wx' });
        chownSync(file, volume.uid, volume.gid);
        actions.push({ file, action: 'copied' });
      }
    }
  }
  return actions;
}
