import { exitCodes, type Command } from '../cli/command.ts';
import { progress } from '../cli/output.ts';
import { ensureBrowserForTests } from '../setup/browser-for-tests.ts';
import { ensureConsolePage } from '../setup/console-page.ts';
import { ensureLabBoxTools } from '../setup/lab-box-tools.ts';
import { ensureTools } from '../setup/ensure-tools.ts';
import { toolsBinDir } from '@firedrill/lab-infra';

export const setupCommand: Command = {
  name: 'setup',
  summary:
    'check and install what the lab needs: Postgres, Redis, Prometheus, Alertmanager (apt), k6, Toxiproxy (Go), schemathesis (pip), the console page (Vite)',
  usage: `lab setup\n\n  Debian packages are installed with apt-get when run as root; k6 and toxiproxy-server are built\n  with Go into ${toolsBinDir()} (shared by every clone); schemathesis is pip-installed into a virtualenv\n  beside it and linked there. The console's page is built with Vite when it is missing or older\n  than its sources; as root, the SSH lab box's packages (openssh-server, jq, redis-tools…); with FIREDRILL_BROWSER_TESTS=1, chromium is installed for the browser tests.\n  Exits 1 listing what is still missing.`,
  async run() {
    const report = (line: string) => progress(`setup: ${line}`);
    const { missing } = ensureTools(report);
    const page = ensureConsolePage(report);
    if (page) missing.push(page);
    // Not "missing": the lab runs without its SSH box (trainees then use the console and their own machines).
    const labBox = ensureLabBoxTools(report);
    if (labBox) report(`warn     ${labBox}; the lab runs without its sshd`);
    const browser = ensureBrowserForTests(report);
    if (browser) missing.push(browser);
    if (missing.length > 0) {
      progress(`\nsetup: the lab cannot run yet; missing:\n${missing.map((m) => `  - ${m}`).join('\n')}`);
      return exitCodes.failed;
    }
    progress('setup: everything the lab needs is here');
    return exitCodes.ok;
  },
};
