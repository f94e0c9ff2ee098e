import { which } from '@firedrill/lab-infra';
import { aptInstall, canUseApt } from './apt.ts';

/** The variable that turns the console's browser tests on (console/test/console-browser.int.test.ts). */
export const browserTestsVariable = 'FIREDRILL_BROWSER_TESTS';

/**
 * Debian's chromium, which playwright-core drives in the console's browser tests. Only wanted when
 * those tests are on (FIREDRILL_BROWSER_TESTS=1): it is a large package the lab itself never runs.
 * Installed with apt when root on Debian; otherwise the answer says how. Returns what is missing.
 */
export function ensureBrowserForTests(progress: (line: string) => void): string | undefined {
  const find = () => which('chromium', ['/usr/bin', '/usr/local/bin']);
  const found = find();
  if (found) {
    progress(`ok       chromium (browser tests): ${found}`);
    return undefined;
  }
  if (process.env[browserTestsVariable] !== '1') {
    progress(`skip     chromium: only the console's browser tests use it (${browserTestsVariable}=1 installs it)`);
    return undefined;
  }
  if (canUseApt()) {
    progress('install  chromium (apt-get)');
    aptInstall(['chromium']);
  }
  const installed = find();
  if (installed) {
    progress(`ok       chromium (browser tests): ${installed}`);
    return undefined;
  }
  return `chromium, for ${browserTestsVariable}=1: install the Debian package chromium (as root: apt-get update && apt-get install chromium)`;
}
