import type { RunsApi } from '@firedrill/training';
import { LabRefusal } from '../cli/command.ts';

/** The run a command names, or the latest one (runs come newest first). */
export async function runOrLatest(api: RunsApi, named: string | undefined): Promise<string> {
  if (named !== undefined) return named;
  const latest = (await api.runs())[0];
  if (!latest) throw new LabRefusal('no run yet: start one with `lab scenario run <id>`');
  return latest.id;
}
