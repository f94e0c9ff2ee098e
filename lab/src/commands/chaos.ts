import os from 'node:os';
import { chaosCliOptions, chaosCommandHelp, chaosCommands, runChaosCli } from '@firedrill/chaos';
import { exitCodes, UsageError, type Command } from '../cli/command.ts';
import { progress, result } from '../cli/output.ts';
import { runningLab } from '../cli/running-lab.ts';
import { chaosTokenFiles, ensureChaosTokens } from '../chaos/chaos-tokens.ts';
import { callerToken } from '../cli/caller-token.ts';

const usage = `lab chaos <command>\n${chaosCommandHelp}`;

/** `lab chaos …`: the instructor's fault controls. The caller's own token (FIREDRILL_TOKEN, ~/.config/firedrill/token), else the state dir's instructor token. */
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
      ensureChaosTokens(config);
      // The caller's own token first (a trainee's FIREDRILL_TOKEN), as every other command: a
      // trainee on a shared account is then refused by the controller (403, journalled), not
      // lent the instructor's rights because the state dir happens to be readable.
      token = callerToken({ env: process.env, home: os.homedir(), stateFile: chaosTokenFiles(config).instructor, role: 'instructor' });
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
