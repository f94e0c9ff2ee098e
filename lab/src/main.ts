/**
 * `lab`: Firedrill's native lab runner. One file per command in commands/; the long-running
 * process manager lives in supervisor/. Run under Node 24 (bin/lab and npm scripts see to that).
 */
import { parseArgs } from 'node:util';
import { ConfigError } from '@firedrill/kit';
import { exitCodes, LabRefusal, UsageError } from './cli/command.ts';
import { labCommands as commands } from './commands/command-table.ts';
import { loadLabConfig } from './config/lab-config.ts';

async function main(argv: string[]): Promise<number> {
  const [name = 'help', ...rest] = argv;
  const command = commands.find((c) => c.name === name) ?? (['-h', '--help'].includes(name) ? commands.find((c) => c.name === 'help') : undefined);
  if (!command) throw new UsageError(`unknown command "${name}"; run \`lab help\` for the list`);
  const { values, positionals } = parseArgs({
    args: rest,
    options: { ...command.options, help: { type: 'boolean', short: 'h' } },
    allowPositionals: true,
    strict: true,
  });
  if (values.help) {
    process.stdout.write(`${command.summary}\n\nusage: ${command.usage}\n`);
    return exitCodes.ok;
  }
  const { min, max } = command.positionals ?? { min: 0, max: 0 };
  if (positionals.length < min || positionals.length > max) throw new UsageError(`usage: ${command.usage.split('\n')[0]}`);
  const config = loadLabConfig();
  return command.run({ values: values as Record<string, string | boolean | undefined>, positionals, config });
}

try {
  process.exitCode = await main(process.argv.slice(2));
} catch (err) {
  const usage = err instanceof UsageError || (err as NodeJS.ErrnoException).code?.startsWith('ERR_PARSE_ARGS');
  if (err instanceof ConfigError)
    process.stderr.write(`${err.message}\n`); // already says "lab: invalid configuration"
  else if (usage || err instanceof LabRefusal) process.stderr.write(`lab: ${(err as Error).message}\n`);
  else process.stderr.write(`lab: ${(err as Error).stack ?? err}\n`);
  process.exitCode = usage || err instanceof ConfigError ? exitCodes.usage : exitCodes.failed;
}
// Commands are done here; pooled sockets and timers must not keep the CLI alive.
process.exit();
