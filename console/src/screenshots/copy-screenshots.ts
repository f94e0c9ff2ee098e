// `npm run screenshots`: after the browser tests ran (npx vitest run --project integration
// console/test/console-lab1.int.test.ts console/test/console-browser.int.test.ts), copies the
// README's views into docs/screenshots/ to be committed.
import path from 'node:path';
import { copyReadmeScreenshots, docsScreenshotDir, readmeScreenshots, testOutputDir } from './readme-screenshots.ts';

const missing = copyReadmeScreenshots();
const copied = readmeScreenshots.length - missing.length;
console.log(`copied ${copied} screenshot(s) from ${path.relative(process.cwd(), testOutputDir)} to ${path.relative(process.cwd(), docsScreenshotDir)}`);
if (missing.length > 0) {
  console.error(`not in ${testOutputDir} (run the console's browser tests first): ${missing.join(', ')}`);
  process.exitCode = 1;
}
