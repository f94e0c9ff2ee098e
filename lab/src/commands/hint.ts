import { exitCodes, type Command } from '../cli/command.ts';
import { result } from '../cli/output.ts';
import { runningLab } from '../cli/running-lab.ts';
import { teamQuery, trainingClient } from '../cli/training-client.ts';

interface TakenHint {
  index: number;
  cost: number;
  text: string;
  at: string;
}

/** `lab hint`: the running scenario's next hint (its cost is deducted); `--list` shows those taken. */
export const hintCommand: Command = {
  name: 'hint',
  summary: "take the running scenario's next hint (it costs points; the last one is the solution); --list shows those taken",
  usage: "lab hint [--list] [--json] [--team T]   (--team T: in a class, whose run; the instructor's and operator's pick)",
  options: { list: { type: 'boolean' }, json: { type: 'boolean' }, team: { type: 'string' } },
  positionals: { min: 0, max: 0 },
  async run({ values, config }) {
    const lab = runningLab(config);
    if (!lab) return exitCodes.notRunning;
    const client = trainingClient(lab, config);
    const team = teamQuery(typeof values.team === 'string' ? values.team : undefined);
    if (values.list) {
      const hints = await client.get<{ taken: TakenHint[]; next: { index: number; cost: number; availableInSeconds: number } | null }>(`/api/hints${team}`);
      if (values.json) {
        result(JSON.stringify(hints, null, 2));
        return exitCodes.ok;
      }
      for (const hint of hints.taken) result(`${hint.index + 1}. (-${hint.cost}) ${hint.text}`);
      if (hints.next)
        result(
          `next: hint ${hints.next.index + 1} costs ${hints.next.cost}${hints.next.availableInSeconds > 0 ? `, available in ${hints.next.availableInSeconds} s` : ', available now'}`,
        );
      return exitCodes.ok;
    }
    // A hint not available yet is a 409 whose message says in how long (printed as the refusal).
    const taken = await client.post<{ hint: { index: number; cost: number; text: string } }>(`/api/hints/next${team}`);
    result(values.json ? JSON.stringify(taken, null, 2) : `hint ${taken.hint.index + 1} (-${taken.hint.cost} points): ${taken.hint.text}`);
    return exitCodes.ok;
  },
};
