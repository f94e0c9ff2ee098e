import path from 'node:path';
import { defineConfig } from 'vite';

/** The console's page: console/web → console/dist/web, which the console serves itself (no CDN). */
export default defineConfig({
  root: path.join(import.meta.dirname, 'web'),
  base: '/',
  // Preact's JSX through Vite's own transformer (no Babel plugin).
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  build: { outDir: path.join(import.meta.dirname, 'dist', 'web'), emptyOutDir: true, assetsDir: 'assets' },
});
