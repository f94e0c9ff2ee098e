import type { Command } from '../cli/command.ts';
import { result } from '../cli/output.ts';

export function helpCommand(all: () => Command[]): Command {
  return {
    name: 'help',
    summary: 'list the commands, or explain one: lab help <command>',
    usage: 'lab help [command]',
    positionals: { min: 0, max: 1 },
    async run({ positionals, config }) {
      const commands = all();
      const wanted = positionals[0] && commands.find((c) => c.name === positionals[0]);
      if (wanted) {
        result(`${wanted.summary}\n\nusage: ${wanted.usage}`);
        return 0;
      }
      const visible = commands.filter((c) => !c.hidden);
      const width = Math.max(...visible.map((c) => c.name.length));
      result(
        [
          'lab: runs the Firedrill lab (the shop, Postgres, Redis, Prometheus) as local processes',
          '',
          'usage: lab <command> [options]   (npx lab …, or npm run lab -- …)',
          '',
          ...visible.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
          '',
          'environment:',
          `  LAB_STATE_DIR  data, logs and lab.json (now ${config.stateDir})`,
          `  LAB_PORT_BASE  first port of the lab's block, api = base, prometheus = base+90 (now ${config.portBase})`,
          `  LAB_UP_TIMEOUT_SECONDS  how long \`up --detach\` waits for health before giving up (now ${config.upTimeoutMs / 1000})`,
          '  OTEL_*         passed to the services; set OTEL_EXPORTER_OTLP_ENDPOINT to export traces',
        ].join('\n'),
      );
      return 0;
    },
  };
}
