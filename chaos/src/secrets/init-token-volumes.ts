/**
 * One-shot entry point for Docker Compose's `secrets` service (see token-volumes.ts):
 *   node chaos/src/secrets/init-token-volumes.ts <dir>:<uid>:<gid>:<token>[,…] … [--hint TEXT]…
 * Prints what it did to each file and the hints (where to read the instructor token), never a token.
 */
import { parseArgs } from 'node:util';
import { parseTokenVolume, shareTokens } from './token-volumes.ts';

try {
  const { values, positionals } = parseArgs({ allowPositionals: true, options: { hint: { type: 'string', multiple: true } } });
  if (positionals.length === 0) throw new Error('name at least one volume: <dir>:<uid>:<gid>:<token>[,<token>…]');
  for (const { file, action } of shareTokens(positionals.map(parseTokenVolume))) console.log(`${file}: ${action}`);
  for (const hint of values.hint ?? []) console.log(hint);
} catch (err) {
  console.error(`init-token-volumes: ${(err as Error).message}`);
  process.exitCode = 2;
}
