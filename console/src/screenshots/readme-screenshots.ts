import { copyFileSync, existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';

const repoRoot = path.resolve(import.meta.dirname, '..', '..', '..');
/** Where the browser tests save every page they visit (console/test/helpers/browser.ts). */
export const testOutputDir = path.join(repoRoot, 'test-output', 'console');
/** Where the README's screenshots are committed. */
export const docsScreenshotDir = path.join(repoRoot, 'docs', 'screenshots');

/**
 * The views the README shows, each a screenshot the browser tests take (console-browser and
 * console-lab1): the file name and the README's caption. One list, so the copy and the README
 * check cannot disagree.
 */
export const readmeScreenshots: ReadonlyArray<{ file: string; caption: string }> = [
  { file: 'sign-in.png', caption: 'Sign-in' },
  { file: 'instructor-runs.png', caption: 'Instructor: the class and its runs, Lab 1 launched' },
  { file: 'trainee-incident.png', caption: 'Trainee: paged by ApiHighLatencyP95, the incident declared and an update posted' },
  { file: 'trainee-pir.png', caption: 'Trainee: the post-incident review' },
  { file: 'trainee-report.png', caption: "Trainee: the report after the debrief, with the team's score" },
  { file: 'instructor-debrief.png', caption: 'Instructor: the debrief' },
  { file: 'instructor-timeline.png', caption: "Instructor: the run's timeline and the scoreboard" },
];

/** Copies the README's views from test-output/console/ to docs/screenshots/; returns the ones not there. */
export function copyReadmeScreenshots(from = testOutputDir, to = docsScreenshotDir): string[] {
  mkdirSync(to, { recursive: true });
  const missing: string[] = [];
  for (const { file } of readmeScreenshots) {
    const source = path.join(from, file);
    if (existsSync(source)) copyFileSync(source, path.join(to, file));
    else missing.push(file);
  }
  return missing;
}
