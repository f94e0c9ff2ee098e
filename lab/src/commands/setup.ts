import { exitCodes, type Command } from '../cli/command.ts';
import { progress } from '../cli/output.ts';
import { ensureTools } from '../setup/ensure-tools.ts';
import { toolsBinDir } from '@firedrill/lab-infra';

export const setupCommand: Command = {
  name: 'setup',
  summary: 'check and install what the lab needs: Postgres, Redis, Prometheus, Alertmanager (apt), k6, Toxiproxy (Go), schemathesis (pip)',
  usage: `lab setup\n\n  Debian packages are installed with apt-get when run as root; k6 and toxiproxy-server are built\n  with Go into ${toolsBinDir()} (shared by every clone); schemathesis is pip-installed into a virtualenv\n  beside it and linked there. Exits 1 listing what is still missing.`,
  async run() {
    const { missing } = ensureTools((line) => progress(`setup: ${line}`));
    if (missing.length > 0) {
      progress(`\nsetup: the lab cannot run yet; missing:\n${missing.map((m) => `  - ${m}`).join('\n')}`);
      return exitCodes.failed;
    }
    progress('setup: everything the lab needs is here');
    return exitCodes.ok;
  },
};
