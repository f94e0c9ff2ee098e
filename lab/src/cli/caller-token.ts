import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { readToken } from '@firedrill/kit';
import { LabRefusal } from './command.ts';

/** Where a caller's own token may be: a trainee's (`lab trainees add` printed it), or anyone's. */
export interface TokenPlaces {
  /** FIREDRILL_TOKEN is read from here (process.env in the CLI). */
  env: Readonly<Record<string, string | undefined>>;
  /** The home directory: ~/.config/firedrill/token. */
  home: string;
  /** The state dir's token file for the command's role (operator or instructor), as before trainees had tokens. */
  stateFile: string;
  role: 'operator' | 'instructor';
}

export const personalTokenPath = (home: string) => path.join(home, '.config', 'firedrill', 'token');

/**
 * The token the CLI sends: FIREDRILL_TOKEN, else ~/.config/firedrill/token (refused when others
 * could read it), else the state dir's token for the role. The first place that has one decides;
 * the training process then says what that token may do.
 */
export function callerToken(places: TokenPlaces): string {
  const fromEnv = places.env.FIREDRILL_TOKEN?.trim();
  if (fromEnv) return fromEnv;

  const personal = personalTokenPath(places.home);
  const mode = fileMode(personal);
  if (mode !== undefined) {
    if ((mode & 0o077) !== 0)
      throw new LabRefusal(`${personal} can be read by others (mode ${mode.toString(8).padStart(4, '0')}): run \`chmod 600 ${personal}\` first`);
    const token = readFileSync(personal, 'utf8').trim();
    if (!token) throw new LabRefusal(`${personal} is empty: put your token in it (\`lab trainees add\` printed it)`);
    return token;
  }

  try {
    return readToken(places.stateFile);
  } catch {
    throw new LabRefusal(
      places.role === 'instructor'
        ? `cannot read the instructor token (${places.stateFile}): only the instructor can do this`
        : `no token: set FIREDRILL_TOKEN or put yours in ${personal} (mode 0600); the operator token (${places.stateFile}) is not readable either — is this your lab?`,
    );
  }
}

/**
 * True when the caller brings a token of its own (FIREDRILL_TOKEN or ~/.config/firedrill/token):
 * a trainee, on the lab box or their machine. Commands that would otherwise drive the supervisor
 * directly go through the training API for them instead, so the act is checked and recorded.
 */
export function hasPersonalToken(places: Pick<TokenPlaces, 'env' | 'home'>): boolean {
  return Boolean(places.env.FIREDRILL_TOKEN?.trim()) || fileMode(personalTokenPath(places.home)) !== undefined;
}

function fileMode(file: string): number | undefined {
  try {
    return statSync(file).mode & 0o777;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}
