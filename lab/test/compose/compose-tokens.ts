/**
 * The lab's tokens in compose: the one-shot `tokens` service writes them into volumes (see
 * chaos/src/secrets/token-volumes.ts); these checks make sure every container that is told to read
 * a token file mounts a volume holding that file, owned by the user the container runs as, read
 * only, and holding no token the container does not read.
 */
import path from 'node:path';
import { parseTokenVolume } from '@firedrill/chaos';
import { environmentOf, type ComposeFile } from './compose-file.ts';
import { mountsOf } from './compose-resources.ts';

export const tokenScript = 'chaos/src/secrets/init-token-volumes.ts';

export interface TokenVolumePlan {
  volume: string;
  uid: number;
  gid: number;
  tokens: string[];
}

/** The volumes the tokens service fills: which volume, owned by whom, holding which tokens. */
export function tokenVolumePlans(compose: ComposeFile): { serviceName?: string; plans: TokenVolumePlan[]; problems: string[] } {
  const entry = Object.entries(compose.services).find(([, service]) => Array.isArray(service.command) && service.command.includes(tokenScript));
  if (!entry) return { plans: [], problems: [`no service runs ${tokenScript}`] };
  const [serviceName, service] = entry;
  const command = service.command as string[];
  const problems: string[] = [];
  const plans: TokenVolumePlan[] = [];
  const args = command.slice(command.indexOf(tokenScript) + 1);
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '--hint') {
      i++;
      continue;
    }
    try {
      const { dir, uid, gid, tokens } = parseTokenVolume(arg);
      const mount = mountsOf(service).find((m) => m.target === dir);
      if (mount?.type !== 'volume') problems.push(`${serviceName} writes ${dir}, which is no volume it mounts`);
      else plans.push({ volume: mount.source, uid, gid, tokens });
    } catch (err) {
      problems.push(`${serviceName}: ${(err as Error).message}`);
    }
  }
  return { serviceName, plans, problems };
}

/**
 * `filesRead`: token files each service reads beyond its *_TOKEN_FILE variables (Prometheus and
 * Alertmanager name theirs in their config files).
 */
export function checkTokenFiles(compose: ComposeFile, filesRead: Record<string, string[]> = {}): string[] {
  const { serviceName: writer, plans, problems } = tokenVolumePlans(compose);
  const planOf = new Map(plans.map((plan) => [plan.volume, plan]));
  for (const [name, service] of Object.entries(compose.services)) {
    if (name === writer) continue;
    const env = environmentOf(service).env;
    const files = [
      ...Object.entries(env)
        .filter(([key]) => key.endsWith('_TOKEN_FILE'))
        .map(([, value]) => value),
      ...(filesRead[name] ?? []),
    ];
    const tokenMounts = mountsOf(service).filter((mount) => planOf.has(mount.source));
    const read = new Set<string>();
    for (const file of files) {
      const mount = tokenMounts.find((m) => m.target === path.posix.dirname(file));
      const plan = mount && planOf.get(mount.source);
      if (!mount || !plan) {
        problems.push(`${name} reads ${file}, but mounts no token volume at ${path.posix.dirname(file)}`);
        continue;
      }
      read.add(`${mount.source}/${path.posix.basename(file)}`);
      if (!plan.tokens.includes(path.posix.basename(file)))
        problems.push(`${name} reads ${file}, but the ${mount.source} volume holds no ${path.posix.basename(file)}`);
    }
    for (const mount of tokenMounts) {
      const plan = planOf.get(mount.source)!;
      if (service.user !== `${plan.uid}:${plan.gid}`)
        problems.push(`${name} runs as ${service.user ?? 'the image user'}, but the ${mount.source} volume belongs to ${plan.uid}:${plan.gid}`);
      if (!mount.readOnly) problems.push(`${name} mounts the ${mount.source} volume writable`);
      for (const token of plan.tokens) {
        if (!read.has(`${mount.source}/${token}`)) problems.push(`${name} is given ${token} (in ${mount.source}) but never reads it`);
      }
    }
  }
  return problems;
}

/** A token is only ever passed as a file: a variable naming a token holds a path, never the value. */
export function checkNoTokenLiterals(compose: ComposeFile): string[] {
  const problems: string[] = [];
  for (const [name, service] of Object.entries(compose.services)) {
    for (const key of Object.keys(environmentOf(service).env)) {
      if (/TOKEN/.test(key) && !key.endsWith('_FILE')) problems.push(`${name}: ${key} would put a token in the compose file; pass a *_TOKEN_FILE`);
    }
  }
  return problems;
}
