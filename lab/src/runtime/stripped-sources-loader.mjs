/**
 * The first `--import` of every shop process in the native lab (lab/src/topology/shop-processes.ts):
 * runs the shop's TypeScript from the lab's stripped-source cache (stripped-sources.ts), so the
 * process never loads Node's TypeScript stripper (amaro, a WebAssembly module it keeps: ~24 MiB of
 * each shop process). Plain JavaScript on purpose: a `.ts` file here would load amaro itself.
 *
 * For a `.ts` file outside node_modules whose bytes have an entry (`<sha256>.js` in
 * $STRIPPED_SOURCES_DIR), the process runs the entry: the file's own text with its types turned
 * into spaces, so lines and columns, and the module's URL in a stack trace, are the source's. Any
 * other file, or a `.ts` file changed since the lab stripped it, goes on to Node, which strips it
 * as it always does: slower to start and heavier, never wrong.
 *
 * The hook is synchronous and in this thread (`module.registerHooks`, Node ≥ 23.5): the
 * asynchronous `module.register` would start a loader thread with a V8 isolate of its own, dearer
 * than what it saves. A Node without it runs the shop exactly as before (no hook).
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import module from 'node:module';
import path from 'node:path';

const cacheDir = process.env.STRIPPED_SOURCES_DIR;

/** Node's format for a `.ts` file (from its package's "type") → the format of the same file stripped. */
const strippedFormats = { 'module-typescript': 'module', 'commonjs-typescript': 'commonjs' };

/** The entry for these bytes, or undefined. The name is stripped-sources.ts's `strippedEntryName`. */
function cachedEntry(source) {
  const name = `${createHash('sha256').update(source).digest('hex')}.js`;
  try {
    return readFileSync(path.join(cacheDir, name), 'utf8');
  } catch {
    return undefined;
  }
}

if (cacheDir && typeof module.registerHooks === 'function') {
  module.registerHooks({
    load(url, context, nextLoad) {
      // Node's own load reads the file and tells its format; it does not strip (that happens when
      // the module is compiled, after this hook), so calling it costs no amaro.
      const loaded = nextLoad(url, context);
      const format = strippedFormats[loaded.format];
      if (format === undefined || loaded.source == null || !url.startsWith('file:') || url.includes('/node_modules/')) return loaded;
      const stripped = cachedEntry(loaded.source);
      return stripped === undefined ? loaded : { format, source: stripped, shortCircuit: true };
    },
  });
}
