import os from 'node:os';
import { chaosCliOptions, chaosCommandHelp, chaosCommands, runChaosCli } from '@firedrill/chaos';
import { exitCodes, UsageError, type Command } from '../cli/command.ts';
import { progress, result } from '../cli/output.ts';
import { runningLab } from '../cli/running-lab.ts';
import { ensureChaosTokens } from '../chaos/chaos-tokens.ts';

const usage = `lab chaos <command>\n${chaosCommandHelp}`;

/** `lab chaos …`: the instructor's fault controls. Reads the instructor token from the state dir. */
export const chaosCommand: Command = {
  name: 'chaos',
  summary: 'inject, list and clear faults (instructor only: needs the instructor token in the state dir)',
  usage,
  options: chaosCliOptions,
  positionals: { min: 0, max: 2 },
  async run({ values, positionals, config }) {
    const [command] = positionals;
    if (command === undefined) {
      result(`usage: ${usage}`);
      return exitCodes.ok;
    }
    if (!(chaosCommands as readonly string[]).includes(command)) {
      throw new UsageError(`unknown chaos command "${command}"; run \`lab chaos\` for the list`);
    }
    const lab = runningLab(config);
    if (!lab) return exitCodes.notRunning;
    let token: string;
    try {
      token = ensureChaosTokens(config).instructor;
    } catch (err) {
      progress(`lab: cannot read the instructor token (${(err as NodeJS.ErrnoException).code ?? (err as Error).message}); fault controls are for instructors`);
      return exitCodes.failed;
    }
    const argv = [
      ...positionals,
      ...Object.entries(values).flatMap(([k, v]) => (v === undefined || v === false ? [] : v === true ? [`--${k}`] : [`--${k}`, v])),
    ];
    return runChaosCli(argv, {
      controllerUrl: `http://127.0.0.1:${lab.ports.chaos}`,
      token,
      actor: process.env.SUDO_USER ?? os.userInfo().username,
      out: result,
    });
  },
};
