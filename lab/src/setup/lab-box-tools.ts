import { existsSync } from 'node:fs';
import { aptInstall, canUseApt } from './apt.ts';

/** What a trainee's shell on the lab box needs, by the file that shows it is there and its Debian package. */
const labBoxTools = [
  { name: 'sshd', file: '/usr/sbin/sshd', aptPackage: 'openssh-server' },
  { name: 'ssh-keygen', file: '/usr/bin/ssh-keygen', aptPackage: 'openssh-client' },
  { name: 'curl', file: '/usr/bin/curl', aptPackage: 'curl' },
  { name: 'jq', file: '/usr/bin/jq', aptPackage: 'jq' },
  { name: 'redis-cli', file: '/usr/bin/redis-cli', aptPackage: 'redis-tools' },
  { name: 'ps and top', file: '/usr/bin/top', aptPackage: 'procps' },
  { name: 'ss', file: '/usr/bin/ss', aptPackage: 'iproute2' },
] as const;

/**
 * The SSH lab box's packages (issue 12 §2): installed with apt when root on Debian, the only place
 * the lab makes trainee accounts; elsewhere skipped, saying why (the lab runs without its sshd).
 * psql comes with the Postgres the lab already requires. Returns what is still missing.
 */
export function ensureLabBoxTools(progress: (line: string) => void): string | undefined {
  if (process.getuid?.() !== 0) {
    progress('skip     SSH lab box (sshd, trainee accounts): only when the lab runs as root');
    return undefined;
  }
  const absent = () => labBoxTools.filter((tool) => !existsSync(tool.file));
  if (absent().length > 0 && canUseApt()) {
    const packages = absent().map((tool) => tool.aptPackage);
    progress(`install  ${packages.join(' ')} (apt-get, for the SSH lab box)`);
    aptInstall(packages);
  }
  const still = absent();
  if (still.length === 0) {
    progress('ok       SSH lab box: sshd, ssh-keygen, curl, jq, redis-cli, ps, top, ss');
    return undefined;
  }
  return `the SSH lab box's ${still.map((t) => t.name).join(', ')}: install the Debian packages ${still.map((t) => t.aptPackage).join(' ')} (apt-get install)`;
}
