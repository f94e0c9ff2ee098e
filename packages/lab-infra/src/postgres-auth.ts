import { execFileSync } from 'node:child_process';
import { createHash, createHmac, pbkdf2Sync, randomBytes } from 'node:crypto';
import { chownSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { postgresBinDir } from './binaries.ts';

/**
 * pg_hba.conf of a cluster that wants passwords: every TCP client (loopback only; the server
 * listens nowhere else) proves it knows its role's password with SCRAM-SHA-256. The lab opens no
 * Unix socket (unix_socket_directories is empty); the `local` line only says what would apply.
 */
export const passwordHba = `# Written by the lab (@firedrill/lab-infra postgres-auth.ts); rewritten at every start.
# TYPE  DATABASE  USER  ADDRESS       METHOD
local   all       all                 peer
host    all       all   127.0.0.1/32  scram-sha-256
host    all       all   ::1/128       scram-sha-256
`;

/**
 * The SCRAM-SHA-256 verifier Postgres stores for a password (RFC 5802/7677, the format of
 * pg_authid.rolpassword). Sending this instead of the password means the password itself never
 * reaches the server, so it cannot end up in its log (a failed ALTER ROLE logs its statement).
 * Our passwords are base64url, so SASLprep leaves them unchanged.
 */
export function scramVerifier(password: string, salt: Buffer = randomBytes(16), iterations = 4096): string {
  const salted = pbkdf2Sync(password, salt, iterations, 32, 'sha256');
  const clientKey = createHmac('sha256', salted).update('Client Key').digest();
  const storedKey = createHash('sha256').update(clientKey).digest();
  const serverKey = createHmac('sha256', salted).update('Server Key').digest();
  return `SCRAM-SHA-256$${iterations}:${salt.toString('base64')}$${storedKey.toString('base64')}:${serverKey.toString('base64')}`;
}

/** Marker in the data dir: which password the superuser has (a hash of it), so a start only changes what changed. */
const markerName = 'firedrill-auth';
const passwordHash = (password: string) => createHash('sha256').update(`firedrill postgres superuser\0${password}`).digest('hex');

/**
 * Makes a stopped cluster require `password` for the superuser `postgres` over TCP: sets it in
 * single-user mode (no server, no network: nothing can connect meanwhile) and writes pg_hba.conf.
 * The same path serves a fresh cluster (initdb leaves it on trust) and one created by an older lab
 * with trust auth. Does nothing when the cluster already has this password and this pg_hba.conf.
 */
export function requirePasswordAuth(dataDir: string, password: string, runAs?: { uid: number; gid: number }): void {
  const hbaFile = path.join(dataDir, 'pg_hba.conf');
  const marker = path.join(dataDir, markerName);
  const current = (file: string) => (existsSync(file) ? readFileSync(file, 'utf8') : '');
  if (current(hbaFile) === passwordHba && current(marker) === passwordHash(password)) return;

  const bin = postgresBinDir();
  if (!bin) throw new Error('Postgres server binaries not found: install postgresql (apt-get install postgresql)');
  try {
    // The statement goes on stdin, never on the command line (which every local user can read with ps).
    execFileSync(path.join(bin, 'postgres'), ['--single', '-D', dataDir, '-c', 'unix_socket_directories=', 'postgres'], {
      input: `ALTER ROLE postgres PASSWORD '${scramVerifier(password)}';\n`,
      stdio: ['pipe', 'pipe', 'pipe'],
      cwd: dataDir,
      ...runAs,
    });
  } catch (err) {
    const stderr = (err as { stderr?: Buffer }).stderr?.toString().trim();
    throw new Error(`could not set the Postgres superuser's password in ${dataDir}: ${stderr || (err as Error).message}`);
  }
  for (const [file, text] of [
    [hbaFile, passwordHba],
    [marker, passwordHash(password)],
  ] as const) {
    writeFileSync(file, text, { mode: 0o600 });
    if (runAs) chownSync(file, runAs.uid, runAs.gid);
  }
}
