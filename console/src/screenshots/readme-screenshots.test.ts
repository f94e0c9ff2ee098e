import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { docsScreenshotDir, readmeScreenshots } from './readme-screenshots.ts';

const readme = readFileSync(path.resolve(import.meta.dirname, '..', '..', '..', 'README.md'), 'utf8');

describe("the README's console screenshots", () => {
  it('when the README is read, then it shows each view with its caption, from a committed file', () => {
    for (const { file, caption } of readmeScreenshots) {
      expect(readme, file).toContain(`![${caption}](docs/screenshots/${file})`);
      expect(existsSync(path.join(docsScreenshotDir, file)), `docs/screenshots/${file} (npm run screenshots)`).toBe(true);
    }
  });
});
