import { afterAll, beforeAll } from 'vitest';
import { startNativeLab, type NativeLab } from './native-lab.ts';

/**
 * A native lab of the test file's own, up before its tests and down after them (each lab test
 * file plays one scenario on a fresh lab). Read `lab()` inside a test: it exists once beforeAll ran.
 * Called inside a `describe.skipIf` block, its hooks run only when that block does.
 */
export function nativeLabPerFile(): () => NativeLab {
  let lab: NativeLab | undefined;
  beforeAll(async () => {
    lab = await startNativeLab();
  }, 150_000);
  afterAll(async () => {
    await lab?.down();
  }, 120_000);
  return () => {
    if (!lab) throw new Error('the native lab is not up (beforeAll did not run or failed)');
    return lab;
  };
}
