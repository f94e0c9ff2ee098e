import { closeSync, existsSync, openSync, readFileSync, readSync, statSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { exitCodes, UsageError, type Command } from '../cli/command.ts';
import { classShopTeam } from '../cli/class-shop.ts';
import { progress } from '../cli/output.ts';
import { runningLab } from '../cli/running-lab.ts';
import { labProcesses } from '../topology/lab-processes.ts';
import { shopProcessName } from '../topology/team-shops.ts';

const tailLines = 200;

export const logsCommand: Command = {
  name: 'logs',
  summary: 'print the last 200 log lines of one process (JSON lines); -f follows',
  usage:
    "lab logs <service> [-f] [--team T]\n\n  -f, --follow  keep printing new lines until Ctrl-C\n  --team T      in a class, whose shop (api, payments, worker); a trainee's is its own",
  options: { follow: { type: 'boolean', short: 'f' }, team: { type: 'string' } },
  positionals: { min: 1, max: 1 },
  async run({ values, positionals, config }) {
    // A class's processes are the running lab's (lab.json), whatever LAB_TEAMS says in this shell.
    const lab = runningLab(config, { quiet: true });
    const teams = lab?.state.teams ?? config.teams;
    const names = [...labProcesses({ ...config, teams }).map((p) => p.name), 'supervisor'];
    let name = positionals[0]!;
    if (lab && teams.length > 0 && isShopProcess(name)) {
      const team = await classShopTeam(lab, config, typeof values.team === 'string' ? values.team : undefined);
      name = shopProcessName(team, name);
    } else if (values.team !== undefined) throw new UsageError(`--team names a shop's process (api, payments, worker) in a running class`);
    if (!names.includes(name)) throw new UsageError(`unknown service "${name}"; choose one of: ${names.join(', ')}`);
    const file = path.join(config.logsDir, `${name}.log`);
    if (!existsSync(file) && !values.follow) {
      progress(`no log yet for ${name} (${file}): has the lab run?`);
      return exitCodes.failed;
    }
    let offset = 0;
    if (existsSync(file)) {
      const text = readFileSync(file, 'utf8');
      offset = Buffer.byteLength(text);
      const lines = text.split('\n');
      if (lines.at(-1) === '') lines.pop();
      if (lines.length > 0) process.stdout.write(`${lines.slice(-tailLines).join('\n')}\n`);
    }
    if (!values.follow) return exitCodes.ok;
    process.once('SIGINT', () => process.exit(0));
    for (;;) offset = await printNewBytes(file, offset);
  },
};

/** api, payments, worker and the worker's replicas (worker-2 …): what each team's shop runs. */
const isShopProcess = (name: string) => /^(api|payments|worker(-\d+)?)$/.test(name);

/** Prints what was appended since offset (from the start again if the file was truncated). */
async function printNewBytes(file: string, offset: number): Promise<number> {
  await sleep(250);
  if (!existsSync(file)) return 0;
  const size = statSync(file).size;
  if (size < offset) offset = 0;
  if (size === offset) return offset;
  const fd = openSync(file, 'r');
  try {
    const buffer = Buffer.alloc(size - offset);
    readSync(fd, buffer, 0, buffer.length, offset);
    process.stdout.write(buffer);
  } finally {
    closeSync(fd);
  }
  return size;
}
