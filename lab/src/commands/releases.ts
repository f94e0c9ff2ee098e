import { shopServices } from '@firedrill/training';
import { exitCodes, UsageError, type Command } from '../cli/command.ts';
import { progress, result } from '../cli/output.ts';
import { runningLab } from '../cli/running-lab.ts';
import { teamQuery, trainingClient, type LeverOutcome } from '../cli/training-client.ts';
import { waitHealthy } from '../cli/wait-healthy.ts';
import type { LabConfig } from '../config/lab-config.ts';
import { controlClient } from '../supervisor/control-client.ts';
import { shopProcessName } from '../topology/team-shops.ts';

interface Release {
  at: string;
  service: string;
  action: 'deploy' | 'rollback';
  version: string;
  previousVersion: string;
  actor: string;
}

function checkService(name: string | undefined): string {
  if (name === undefined || !(shopServices as readonly string[]).includes(name)) throw new UsageError(`name a shop service: ${shopServices.join(', ')}`);
  return name;
}

/** `lab releases [service]`: what each service runs and how it got there. */
export const releasesCommand: Command = {
  name: 'releases',
  summary: 'show the version each shop service runs and the deploy history (newest first)',
  usage: 'lab releases [api|payments|worker] [--team T] [--json]   (--team T: in a class, whose shop)',
  options: { json: { type: 'boolean' }, team: { type: 'string' } },
  positionals: { min: 0, max: 1 },
  async run({ values, positionals, config }) {
    const lab = runningLab(config);
    if (!lab) return exitCodes.notRunning;
    const service = positionals[0] === undefined ? undefined : checkService(positionals[0]);
    const query = new URLSearchParams({ ...(service && { service }), ...(typeof values.team === 'string' && { team: values.team }) });
    const answer = await trainingClient(lab, config).get<{ current: Record<string, string>; releases: Release[] }>(
      `/api/releases${query.size > 0 ? `?${query}` : ''}`,
    );
    if (values.json) {
      result(JSON.stringify(answer, null, 2));
      return exitCodes.ok;
    }
    const current = Object.entries(answer.current).filter(([name]) => !service || name === service);
    result(current.map(([name, version]) => `${name.padEnd(8)}  ${version}`).join('\n'));
    if (answer.releases.length === 0) result('\nno deploys yet: every service runs its baseline version');
    else {
      result('');
      for (const r of answer.releases) result(`${r.at}  ${r.service.padEnd(8)}  ${r.action.padEnd(8)}  ${r.previousVersion} -> ${r.version}  by ${r.actor}`);
    }
    return exitCodes.ok;
  },
};

/** `lab deploy <service> <version>`: the instructor ships a release (a scenario's bad one, say). */
export const deployCommand: Command = {
  name: 'deploy',
  summary: 'deploy a version of a shop service: it restarts on it (instructor)',
  usage: 'lab deploy <api|payments|worker> <version> [--team T]   (--team T: in a class, whose shop)',
  options: { team: { type: 'string' } },
  positionals: { min: 2, max: 2 },
  async run({ values, positionals, config }) {
    const lab = runningLab(config);
    if (!lab) return exitCodes.notRunning;
    const service = checkService(positionals[0]);
    const team = typeof values.team === 'string' ? values.team : undefined;
    const outcome = await trainingClient(lab, config, 'instructor').post<LeverOutcome>(`/api/releases/${service}/deploy`, {
      version: positionals[1],
      ...(team && { team }),
    });
    progress(`lab: ${outcome.summary}; waiting for it to be healthy`);
    return waitHealthy(controlClient(lab.state, config), await instancesOf(lab, config, releasedProcess(outcome, service)));
  },
};

/** `lab rollback <service>`: a trainee's lever, back to the version before the current release. */
export const rollbackCommand: Command = {
  name: 'rollback',
  summary: 'roll a shop service back to the version before its current release',
  usage: 'lab rollback <api|payments|worker> [--team T]   (--team T: in a class, whose shop)',
  options: { team: { type: 'string' } },
  positionals: { min: 1, max: 1 },
  async run({ values, positionals, config }) {
    const lab = runningLab(config);
    if (!lab) return exitCodes.notRunning;
    const service = checkService(positionals[0]);
    const team = typeof values.team === 'string' ? values.team : undefined;
    const outcome = await trainingClient(lab, config).post<LeverOutcome>(`/api/releases/${service}/rollback${teamQuery(team)}`);
    progress(`lab: ${outcome.summary}; waiting for it to be healthy`);
    return waitHealthy(controlClient(lab.state, config), await instancesOf(lab, config, releasedProcess(outcome, service)));
  },
};

/**
 * The process a deploy or rollback restarted: its shop's, as training's answer names it (the
 * release's `shop`: a class's team, '' for the single lab). A trainee gives no `--team` (training
 * takes its own), so only the answer knows whose `api` it was.
 */
export function releasedProcess(outcome: LeverOutcome, service: string): string {
  const shop = (outcome.details.release as { shop?: unknown } | undefined)?.shop;
  return shopProcessName(typeof shop === 'string' && shop !== '' ? shop : undefined, service);
}

/** The processes a service runs as (worker, worker-2, …). */
async function instancesOf(lab: NonNullable<ReturnType<typeof runningLab>>, config: LabConfig, service: string): Promise<string[]> {
  const { services } = await controlClient(lab.state, config).status();
  return services.map((s) => s.name).filter((name) => name === service || new RegExp(`^${service}-\\d+$`).test(name));
}
