import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { defineConfig, type Plugin } from 'vite';
import { buildStampFile, pageSourceDigest, type BuildStamp } from './src/page/page-sources.ts';

/**
 * Writes build-stamp.json beside index.html once the bundle is written: the digest of the sources
 * this page was built from, so the lab can tell a stale page from a current one (page-build.ts).
 * Every build writes it, whoever runs it (`npm run build:console`, `lab setup`, `lab up`).
 */
function buildStamp(): Plugin {
  let outDir = '';
  return {
    name: 'firedrill-build-stamp',
    apply: 'build',
    configResolved(config) {
      outDir = path.resolve(config.root, config.build.outDir);
    },
    closeBundle() {
      const stamp: BuildStamp = { digest: pageSourceDigest(import.meta.dirname), builtAt: new Date().toISOString() };
      writeFileSync(path.join(outDir, buildStampFile), `${JSON.stringify(stamp, null, 2)}\n`);
    },
  };
}

/** The console's page: console/web → console/dist/web, which the console serves itself (no CDN). */
export default defineConfig({
  root: path.join(import.meta.dirname, 'web'),
  base: '/',
  // Preact's JSX through Vite's own transformer (no Babel plugin).
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  build: { outDir: path.join(import.meta.dirname, 'dist', 'web'), emptyOutDir: true, assetsDir: 'assets' },
  plugins: [buildStamp()],
});
