import { toolsBinDir, which } from '@firedrill/lab-infra';

/** The path of a tool the lab runs (Debian's packages, or what `lab setup` built), or a clear error. */
export function requireBinary(name: string): string {
  const bin = which(name, [toolsBinDir(), '/usr/bin', '/usr/local/bin']);
  if (!bin) throw new Error(`${name} not found: run \`npx lab setup\``);
  return bin;
}
