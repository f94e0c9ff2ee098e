import { progress } from '../cli/output.ts';
import type { LabConfig } from '../config/lab-config.ts';
import { labAccountPlaces } from '../ssh/account-places.ts';
import { refreshTraineeAccounts } from '../ssh/trainee-account-refresh.ts';
import { traineeAccountsUnavailable } from '../ssh/trainee-account.ts';
import { prepareSshd, sshBannerAnswers } from '../ssh/sshd-launch.ts';
import { sshPaths } from '../ssh/ssh-paths.ts';
import type { ProcessSpec } from './process-spec.ts';
import { redisProcessNames } from './redis-servers.ts';

/**
 * The lab box's sshd, for trainees' shells (issue 12 §2): part of the lab only where it can make
 * trainee accounts (root, openssh-server installed); elsewhere the lab is as before.
 */
export function sshdProcesses(config: LabConfig): ProcessSpec[] {
  if (traineeAccountsUnavailable(config.stateDir)) return [];
  return [
    {
      name: 'sshd',
      kind: 'infrastructure',
      port: config.ports.ssh,
      url: `ssh://127.0.0.1:${config.ports.ssh}`,
      // The trainees' shells use the training API and the read-only accounts on the stores.
      dependsOn: ['postgres', ...redisProcessNames(config), 'training'],
      restartOnCrash: true,
      health: sshBannerAnswers(config.ports.ssh),
      launch: () => {
        // Accounts made by an earlier lab get what this one's places are (their team's Redis port).
        for (const problem of refreshTraineeAccounts(config, labAccountPlaces(config)).problems) progress(`sshd: trainee account ${problem}`);
        return prepareSshd(config);
      },
    },
  ];
}

/** The console's browser terminal: the lab box's sshd and the trainees' keys, where the lab runs an sshd. */
export function consoleTerminalEnv(config: LabConfig): Record<string, string> {
  if (traineeAccountsUnavailable(config.stateDir)) return {};
  const paths = sshPaths(config.stateDir);
  return { SSH_PORT: String(config.ports.ssh), TRAINEE_KEYS_DIR: paths.keysDir, SSH_HOST_KEY_FILE: `${paths.hostKey}.pub` };
}

/**
 * What only the native lab has of the SSH box: Compose gives trainees no accounts on the Docker
 * host, so it runs no sshd and its console no terminal.
 */
export const nativeOnlyLabBox = {
  processes: ['sshd'],
  variables: ['SSH_PORT', 'TRAINEE_KEYS_DIR', 'SSH_HOST_KEY_FILE'],
} as const;
