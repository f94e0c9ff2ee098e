import { accessSync, chmodSync, constants, copyFileSync, linkSync, mkdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { LabConfig } from '../config/lab-config.ts';
import { sshPaths } from './ssh-paths.ts';
import type { AccountPlaces } from './account-places.ts';

/** Files every trainee account shares, root-owned and world-readable, under <state>/ssh/share. */
export function traineeToolPaths(stateDir: string) {
  const share = sshPaths(stateDir).shareDir;
  return { share, bin: path.join(share, 'bin'), profile: path.join(share, 'profile.sh') };
}

/**
 * Writes the trainee's tools: `lab` (the repo's CLI under a Node the trainee may run), `redis-cli`
 * (its shop's Redis and read-only user, from the trainee's own files; the password through the
 * environment, never on a command line that `ps` shows) and the shell profile. Written again at every
 * `lab trainees add`, so they follow the repository and the ports.
 */
export function writeTraineeTools(config: Pick<LabConfig, 'stateDir' | 'repoRoot'>, places: AccountPlaces): void {
  const paths = traineeToolPaths(config.stateDir);
  mkdirSync(paths.bin, { recursive: true, mode: 0o755 });
  for (const dir of [sshPaths(config.stateDir).dir, paths.share, paths.bin]) chmodSync(dir, 0o755);
  const node = nodeForTrainees(paths.bin);
  const script = (name: string, text: string) => writeFileSync(path.join(paths.bin, name), text, { mode: 0o755 });
  script(
    'lab',
    `#!/bin/sh\n# The lab CLI for a trainee: their token (~/.config/firedrill/token) decides what it may do.\nexec ${quote(node)} ${quote(path.join(config.repoRoot, 'lab', 'src', 'main.ts'))} "$@"\n`,
  );
  script(
    'redis-cli',
    [
      '#!/bin/sh',
      "# The team's read-only Redis user (reads only; writes and admin commands are refused by Redis's ACL).",
      'REDISCLI_AUTH=$(cat "$HOME/.config/firedrill/redis-password") || exit 1',
      'export REDISCLI_AUTH',
      // The port is the account's own (its team's server): this wrapper is every team's. The lab
      // writes it at every start of its sshd (trainee-account-refresh.ts), for accounts made before too.
      'port=$(cat "$HOME/.config/firedrill/redis-port" 2>/dev/null) || {',
      "  echo 'redis-cli: this account has no ~/.config/firedrill/redis-port (the port of its team Redis): ask the instructor to run `lab restart sshd`, which writes it' >&2",
      '  exit 1',
      '}',
      'exec /usr/bin/redis-cli -h 127.0.0.1 -p "$port" --user "$(cat "$HOME/.config/firedrill/redis-user")" "$@"',
      '',
    ].join('\n'),
  );
  writeFileSync(paths.profile, traineeProfileText({ stateDir: config.stateDir, bin: paths.bin, trainingUrl: `http://127.0.0.1:${places.trainingPort}` }), {
    mode: 0o644,
  });
}

/**
 * The shell every trainee account sources (~/.bashrc): PATH with the lab's tools, psql's service,
 * the team's Prometheus URL (read from the account's own file: this profile is every team's), and
 * the hook that records each command line on the team's timeline. The hook is for the debrief,
 * not a security control: a trainee can unset it in their own shell.
 */
export function traineeProfileText(options: { stateDir: string; bin: string; trainingUrl: string }): string {
  return `# Written by the lab (lab/src/ssh/trainee-tools.ts): the trainee's shell on the lab box.
export LAB_STATE_DIR=${quote(options.stateDir)}
export PATH=${quote(options.bin)}:/usr/local/bin:/usr/bin:/bin
export PGSERVICEFILE="$HOME/.pg_service.conf" PGSERVICE=shop
export FIREDRILL_TRAINING_URL=${quote(options.trainingUrl)}
# The team's own Prometheus (its gate wants the team's token: curl -H @"$HOME/.config/firedrill/prometheus-auth-header").
if [ -r "$HOME/.config/firedrill/prometheus-url" ]; then export FIREDRILL_PROMETHEUS_URL="$(cat "$HOME/.config/firedrill/prometheus-url")"; fi
# No history file: each session starts empty, and the timeline keeps what was typed.
HISTFILE=
HISTCONTROL=
HISTIGNORE=

# POST /api/shell/commands as the trainee: the line, where it ran, its exit status; the lab stamps the time.
__firedrill_record() {
  [ -n "$2" ] || return 0
  jq -cn --arg command "$2" --arg cwd "$PWD" --argjson exitStatus "$1" '{command: $command, cwd: $cwd, exitStatus: $exitStatus}' |
    curl -s -o /dev/null -m 3 -X POST -H @"$HOME/.config/firedrill/auth-header" -H 'content-type: application/json' \\
      --data-binary @- "$FIREDRILL_TRAINING_URL/api/shell/commands" >/dev/null 2>&1
}

if [[ $- == *i* ]]; then
  __firedrill_seen=
  __firedrill_prompt() {
    local status=$? number line
    read -r number line <<<"$(HISTTIMEFORMAT= history 1)"
    if [ -n "$number" ] && [ "$number" != "$__firedrill_seen" ]; then
      __firedrill_seen=$number
      (__firedrill_record "$status" "$line" &)
    fi
  }
  PROMPT_COMMAND=__firedrill_prompt
  PS1='\\u@firedrill:\\w\\$ '
elif [ -n "$BASH_EXECUTION_STRING" ]; then
  # \`ssh box 'command'\`: recorded when it ends, with its status.
  trap '__firedrill_record $? "$BASH_EXECUTION_STRING"' EXIT
fi
`;
}

/**
 * A Node the trainee may execute: the lab's own when every directory above it is open to others,
 * else a hard link (a copy across file systems) in the shared bin: /root/.cache is not.
 */
function nodeForTrainees(bin: string): string {
  if (openToOthers(process.execPath)) return process.execPath;
  const target = path.join(bin, 'node');
  try {
    if (statSync(target).ino === statSync(process.execPath).ino) return target;
  } catch {
    // Not there yet.
  }
  rmSync(target, { force: true });
  try {
    linkSync(process.execPath, target);
  } catch {
    copyFileSync(process.execPath, target);
  }
  chmodSync(target, 0o755);
  return target;
}

function openToOthers(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    for (let dir = path.dirname(file); ; dir = path.dirname(dir)) {
      if ((statSync(dir).mode & 0o001) === 0) return false;
      if (dir === path.dirname(dir)) return (statSync(file).mode & 0o001) !== 0;
    }
  } catch {
    return false;
  }
}

/** A shell single-quoted word. */
export const quote = (text: string) => `'${text.replaceAll("'", "'\\''")}'`;
