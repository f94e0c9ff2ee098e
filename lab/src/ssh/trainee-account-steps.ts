import { progress } from '../cli/output.ts';
import type { LabConfig } from '../config/lab-config.ts';
import { labAccountPlaces } from './account-places.ts';
import { traineeUser, traineeUserProblem } from './ssh-paths.ts';
import { createTraineeAccount, removeTraineeAccount, traineeAccountsUnavailable } from './trainee-account.ts';

/**
 * `lab trainees add`'s SSH part: the trainee's Linux account and key, when this machine can make
 * them; otherwise it says why it was skipped (the training identity is made either way). The
 * private key's path is printed, never the key.
 */
export async function traineeAccountOnAdd(config: LabConfig, trainee: { name: string; team: string; token: string }): Promise<void> {
  const why = traineeAccountsUnavailable(config.stateDir) ?? traineeUserProblem(trainee.name);
  if (why) {
    progress(`lab: the SSH account was skipped: ${why}.`);
    return;
  }
  const account = await createTraineeAccount(config, trainee, labAccountPlaces(config));
  progress(
    `lab: SSH account ${account.user} made (team ${trainee.team}); its private key, for the trainee, is ${account.privateKey} (0600, written once here).`,
  );
  progress(`lab: the trainee connects with: ssh -i <that key> -p ${config.ports.ssh} ${account.user}@<this machine>`);
}

/** Where the lab makes SSH accounts, a name that cannot be a Linux user is refused before anything is made. */
export function traineeNameRefusal(stateDir: string, name: string): string | undefined {
  return traineeAccountsUnavailable(stateDir) ? undefined : traineeUserProblem(name);
}

/** `lab trainees remove`'s SSH part: the account, its home and its keys go. */
export function traineeAccountOnRemove(config: Pick<LabConfig, 'stateDir'>, name: string): void {
  if (traineeAccountsUnavailable(config.stateDir)) return;
  if (removeTraineeAccount(config, name)) progress(`lab: SSH account ${traineeUser(name)} deleted, with its home and keys.`);
}
