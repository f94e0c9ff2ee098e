import { flagCatalogue, flagNames, isFlagName, parseFlagText, type FlagName, type FlagValue } from '@firedrill/training';
import { exitCodes, UsageError, type Command } from '../cli/command.ts';
import { result } from '../cli/output.ts';
import { runningLab } from '../cli/running-lab.ts';
import { teamQuery, trainingClient, type LeverOutcome } from '../cli/training-client.ts';

/** `lab flags` and `lab flags set <flag> <value>`: the shop's feature flags, a lever like any other. */
export const flagsCommand: Command = {
  name: 'flags',
  summary: 'show the feature flags; `lab flags set <flag> <value>` changes one (every instance sees it within a second)',
  usage: 'lab flags [set <flag> <value>] [--team T] [--json]   (--team T: in a class, whose shop)',
  options: { json: { type: 'boolean' }, team: { type: 'string' } },
  positionals: { min: 0, max: 3 },
  async run({ values, positionals, config }) {
    const [action, name, text] = positionals;
    if (action !== undefined && action !== 'set') throw new UsageError(`unknown flags action "${action}"; usage: ${flagsCommand.usage}`);
    let change: { name: FlagName; value: FlagValue } | undefined;
    if (action === 'set') {
      if (name === undefined || text === undefined) throw new UsageError(`usage: lab flags set <flag> <value>; the flags: ${flagNames.join(', ')}`);
      if (!isFlagName(name)) throw new UsageError(`no flag "${name}"; the flags: ${flagNames.join(', ')}`);
      const parsed = parseFlagText(name, text);
      if ('error' in parsed) throw new UsageError(parsed.error);
      change = { name, value: parsed.value };
    }
    const lab = runningLab(config);
    if (!lab) return exitCodes.notRunning;
    const client = trainingClient(lab, config);
    const team = typeof values.team === 'string' ? values.team : undefined;
    if (change) {
      const outcome = await client.put<LeverOutcome>(`/api/flags/${change.name}`, { value: change.value, ...(team && { team }) });
      result(values.json ? JSON.stringify(outcome, null, 2) : outcome.summary);
      return exitCodes.ok;
    }
    const snapshot = await client.get<{ version: number; flags: Record<string, FlagValue> }>(`/api/flags${teamQuery(team)}`);
    if (values.json) {
      result(JSON.stringify(snapshot, null, 2));
      return exitCodes.ok;
    }
    const width = Math.max(...flagNames.map((n) => n.length));
    for (const flag of flagNames) {
      const value = snapshot.flags[flag];
      const definition = flagCatalogue[flag];
      const changed = value !== definition.default ? `  (default ${definition.default})` : '';
      result(`${flag.padEnd(width)}  ${String(value).padEnd(6)}${changed}  ${definition.description}`);
    }
    return exitCodes.ok;
  },
};
