import { which } from '@firedrill/lab-infra';
import { aptInstall, canUseApt } from './apt.ts';

/**
 * Set to 0 on a machine that must not get a browser: `lab setup` then installs no chromium and the
 * console's browser tests skip (console/test/helpers/browser.ts reads the same variable).
 */
export const browserTestsVariable = 'FIREDRILL_BROWSER_TESTS';

/** Where Debian puts chromium (the browser tests look in the same places). */
export const chromiumDirs = ['/usr/bin', '/usr/local/bin'];

/**
 * Debian's chromium, which playwright-core drives in the console's browser tests (`npm test` runs
 * setup first, so a fresh clone's suite runs them). Installed with apt when root on Debian: about
 * 110 MB to download, 350 MB on disk, which is why FIREDRILL_BROWSER_TESTS=0 opts out. Elsewhere a
 * missing chromium is reported but not counted as missing: the lab itself never runs it, and the
 * browser tests skip saying why.
 */
export function ensureBrowserForTests(progress: (line: string) => void): void {
  const find = () => which('chromium', chromiumDirs);
  const found = find();
  if (found) {
    progress(`ok       chromium (browser tests): ${found}`);
    return;
  }
  if (process.env[browserTestsVariable] === '0') {
    progress(`skip     chromium: ${browserTestsVariable}=0 (the console's browser tests will skip)`);
    return;
  }
  if (canUseApt()) {
    progress('install  chromium for the browser tests (apt-get, about 110 MB)');
    aptInstall(['chromium']);
  }
  const installed = find();
  progress(
    installed
      ? `ok       chromium (browser tests): ${installed}`
      : "skip     chromium is not installed: the console's browser tests will skip (as root: apt-get install --no-install-recommends chromium)",
  );
}
