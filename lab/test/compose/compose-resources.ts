/**
 * Checks Compose itself would make at `docker compose config` / `up` time, done without a Docker
 * engine: volumes declared and used, bind-mounted files present, host ports not taken twice,
 * images pinned. Each returns a list of problems, empty when all is well.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { portsOf, repoRoot, type ComposeFile, type ComposeService } from './compose-file.ts';

export interface Mount {
  type: 'volume' | 'bind';
  source: string;
  target: string;
  readOnly: boolean;
}

/** A service's mounts, short (`source:target[:ro]`) or long syntax. A source with a slash or dot is a host path. */
export function mountsOf(service: ComposeService): Mount[] {
  return (service.volumes ?? []).map((entry) => {
    if (typeof entry === 'object') {
      const readOnly = (entry as { read_only?: boolean }).read_only === true;
      return { type: entry.type === 'bind' ? 'bind' : 'volume', source: entry.source ?? '', target: entry.target ?? '', readOnly };
    }
    const [source = '', target = '', mode = ''] = entry.split(':');
    const type = /^[./~]/.test(source) ? 'bind' : 'volume';
    return { type, source, target, readOnly: mode.split(',').includes('ro') };
  });
}

/** Named volumes are declared at the top level and used; bind-mounted paths exist in the repository. */
export function checkVolumes(compose: ComposeFile): string[] {
  const problems: string[] = [];
  const declared = new Set(Object.keys(compose.volumes ?? {}));
  const used = new Set<string>();
  for (const [name, service] of Object.entries(compose.services)) {
    const targets = new Set<string>();
    for (const mount of mountsOf(service)) {
      if (targets.has(mount.target)) problems.push(`${name} mounts two things at ${mount.target}`);
      targets.add(mount.target);
      if (mount.type === 'volume') {
        used.add(mount.source);
        if (!declared.has(mount.source)) problems.push(`${name} mounts the volume ${mount.source}, which the top-level volumes do not declare`);
      } else if (!existsSync(path.resolve(repoRoot, mount.source))) {
        problems.push(`${name} bind-mounts ${mount.source}, which does not exist`);
      }
    }
  }
  for (const volume of declared) if (!used.has(volume)) problems.push(`the volume ${volume} is declared but no service mounts it`);
  return problems;
}

/** No two services publish the same host port on overlapping addresses (Compose would fail to start the second). */
export function checkPublishedPorts(compose: ComposeFile): string[] {
  const problems: string[] = [];
  const taken = new Map<number, Array<{ name: string; hostIp: string }>>();
  for (const [name, service] of Object.entries(compose.services)) {
    for (const { published, hostIp = '0.0.0.0' } of portsOf(service)) {
      if (published === undefined) continue;
      const others = taken.get(published) ?? [];
      const clash = others.find((other) => other.hostIp === hostIp || other.hostIp === '0.0.0.0' || hostIp === '0.0.0.0');
      if (clash) problems.push(`${name} publishes host port ${published}, which ${clash.name} publishes too`);
      taken.set(published, [...others, { name, hostIp }]);
    }
  }
  return problems;
}

/**
 * Every pulled image names a version: at least major.minor, never `latest` or a bare major that
 * moves under the instructor. Images compose builds itself are exempt (they carry a local tag).
 */
export function checkImagesPinned(compose: ComposeFile): string[] {
  const problems: string[] = [];
  for (const [name, service] of Object.entries(compose.services)) {
    if (service.build) continue;
    const image = service.image ?? '';
    const tag = /:([^/:@]+)$/.exec(image)?.[1];
    if (!tag) problems.push(`${name}: the image ${image || '(none)'} has no tag`);
    else if (!/^v?\d+\.\d+/.test(tag)) problems.push(`${name}: the image tag ${tag} is not a pinned version (major.minor at least)`);
  }
  return problems;
}

/**
 * Every `${VAR}` Compose would interpolate has a default (`${VAR:-x}`), so `docker compose up`
 * on a bare shell neither warns nor blanks a value; `$$` is a literal dollar and is skipped.
 */
export function checkInterpolation(text: string): string[] {
  const problems: string[] = [];
  for (const line of text.split('\n')) {
    const code = line.replace(/^\s*#.*$/, '').replaceAll('$$', '');
    for (const match of code.matchAll(/\$\{([^}]*)\}|\$([A-Za-z_]\w*)/g)) {
      const inner = match[1];
      if (inner === undefined) problems.push(`$${match[2]} has no default (write \${${match[2]}:-…})`);
      else if (!/^[A-Za-z_]\w*:?-/.test(inner)) problems.push(`\${${inner}} has no default`);
    }
  }
  return problems;
}
