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
    'check and install what the lab needs: Postgres, Redis, Prometheus, Alertmanager (apt), k6, Toxiproxy, prom-label-proxy, helm and the Helm chart validator (Go), schemathesis (pip), the console page (Vite), the SSH lab box (apt), chromium for the browser tests (apt)',
  usage: `lab setup

  Debian packages are installed with apt-get when run as root; k6, toxiproxy-server, prom-label-proxy,
  helm and firedrill-k8s-validate (deploy/helm/validate) are built with Go into ${toolsBinDir()} (shared by
  every clone); schemathesis is pip-installed into a virtualenv beside it and linked there. The console's
  page is built with Vite when it is missing or older than its sources. As root, the SSH lab box's packages
  (openssh-server, jq, redis-tools…) are installed. Chromium is installed for the console's browser tests
  (apt, when root on Debian; FIREDRILL_BROWSER_TESTS=0 opts out; elsewhere those tests skip saying why).
  Exits 1 listing what is still missing.`,
  async run() {
    const report = (line: string) => progress(`setup: ${line}`);
    const { missing } = ensureTools(report);
    const page = ensureConsolePage(report);
    if (page) missing.push(page);
    // Not "missing": the lab runs without its SSH box (trainees then use the console and their own machines).
    const labBox = ensureLabBoxTools(report);
    if (labBox) report(`warn     ${labBox}; the lab runs without its sshd`);
    ensureBrowserForTests(report);
    if (missing.length > 0) {
      progress(`\nsetup: the lab cannot run yet; missing:\n${missing.map((m) => `  - ${m}`).join('\n')}`);
      return exitCodes.failed;
    }
    progress('setup: everything the lab needs is here');
    return exitCodes.ok;
  },
};
