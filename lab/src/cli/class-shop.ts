import os from 'node:os';
import type { LabConfig } from '../config/lab-config.ts';
import { hasPersonalToken } from './caller-token.ts';
import { LabRefusal, UsageError } from './command.ts';
import { labTeam } from './lab-team.ts';
import type { RunningLab } from './running-lab.ts';
import { trainingClient } from './training-client.ts';

/**
 * Which team's shop a command that reads the machine directly (`lab logs`, `lab queue`) acts on in
 * a class (docs/decisions/0015); undefined in a single lab. The commands that go through the
 * training API get this from the server; these two read files and Redis themselves, so they ask
 * here. A trainee (a personal token) gets its own team, as the training process names it
 * (`/api/whoami`), and naming another is refused; the lab's own user names one with `--team`.
 */
export async function classShopTeam(lab: RunningLab, config: Pick<LabConfig, 'stateDir'>, requested: string | undefined): Promise<string | undefined> {
  const teams = lab.state.teams ?? [];
  if (teams.length === 0) return labTeam(lab, requested);
  if (hasPersonalToken({ env: process.env, home: os.homedir() })) {
    const { team } = await trainingClient(lab, config).get<{ team: string | null }>('/api/whoami');
    if (!team) throw new LabRefusal(`your token names no team, and this class's shops are each a team's (${teams.join(', ')})`);
    if (requested !== undefined && requested !== team) throw new LabRefusal(`you are in team ${team}: team ${requested}'s shop is not yours`);
    return team;
  }
  const team = labTeam(lab, requested);
  if (team === undefined) throw new UsageError(`in a class, name the team's shop: --team ${teams.join('|')}`);
  return team;
}
