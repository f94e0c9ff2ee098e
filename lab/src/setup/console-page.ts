import { ensurePageBuilt } from '@firedrill/console';

/**
 * The console's page is built by Vite into console/dist/web (not committed): `lab setup` (which
 * `npm test` runs first) and `lab up` build it when it is missing or older than its sources, so a
 * fresh clone's console serves its page rather than 503 page_not_built. Returns what is still
 * wrong, for setup's list of what is missing; undefined when the page is current.
 */
export function ensureConsolePage(progress: (line: string) => void): string | undefined {
  const result = ensurePageBuilt();
  if (result.error) return `the console's page: ${result.error} (try \`npm run build:console\`)`;
  progress(result.built ? `built    the console's page (it was ${result.before})` : "ok       the console's page is built and current");
  return undefined;
}
