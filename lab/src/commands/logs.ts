import { closeSync, existsSync, openSync, readFileSync, readSync, statSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { exitCodes, UsageError, type Command } from '../cli/command.ts';
import { progress } from '../cli/output.ts';
import { labProcesses } from '../topology/lab-processes.ts';

const tailLines = 200;

export const logsCommand: Command = {
  name: 'logs',
  summary: 'print the last 200 log lines of one process (JSON lines); -f follows',
  usage: 'lab logs <service> [-f]\n\n  -f, --follow  keep printing new lines until Ctrl-C',
  options: { follow: { type: 'boolean', short: 'f' } },
  positionals: { min: 1, max: 1 },
  async run({ values, positionals, config }) {
    const names = [...labProcesses(config).map((p) => p.name), 'supervisor'];
    const name = positionals[0]!;
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
