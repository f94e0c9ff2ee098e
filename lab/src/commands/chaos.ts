import os from 'node:os';
import { chaosCliOptions, chaosCommands, runChaosCli } from '@firedrill/chaos';
import { exitCodes, UsageError, type Command } from '../cli/command.ts';
import { progress, result } from '../cli/output.ts';
import { runningLab } from '../cli/running-lab.ts';
import { ensureChaosTokens } from '../chaos/chaos-tokens.ts';

const usage = `lab chaos <command>
  catalogue                         fault families, modes, settings and what trainees will see
  inject <family> [options]         start a fault; prints its id once the services carry it
      --target api|payments         (latency, errors)
      --mode M                      (payment-failures, database-loss, redis-loss, worker-death)
      --ms N  --jitter N            latency in ms (latency; slow modes)
      --rate R                      share of requests, 0-1
      --route "POST /api/orders"    only this route (latency, errors)
      --status N                    5xx status (errors)
      --factor N                    slowdown (worker-death slow)
      --for 10m                     duration (default 10m, max 2h)
  list                              active faults
  clear <id>                        end one fault now
  halt                              end every fault now
  journal [--limit N]               who did what, when
Add --json to print the controller's JSON.`;

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
    const argv = [...positionals, ...Object.entries(values).flatMap(([k, v]) => (v === undefined || v === false ? [] : v === true ? [`--${k}`] : [`--${k}`, v]))];
    return runChaosCli(argv, {
      controllerUrl: `http://127.0.0.1:${lab.ports.chaos}`,
      token,
      actor: process.env.SUDO_USER ?? os.userInfo().username,
      out: result,
    });
  },
};
