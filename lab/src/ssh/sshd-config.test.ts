import { describe, expect, it } from 'vitest';
import { sshdConfigText } from './sshd-config.ts';

const text = sshdConfigText({
  port: 7407,
  hostKey: '/s/ssh/key',
  pidFile: '/s/ssh/pid',
  authorizedKeysDir: '/s/ssh/authorized_keys',
  group: 'firedrill-trainees',
});
const setting = (name: string) =>
  text
    .split('\n')
    .find((line) => line.startsWith(`${name} `))
    ?.slice(name.length + 1);

describe("the lab's sshd_config", () => {
  it('when written, then it admits keys only, never root, only the trainees group, and forwards nothing', () => {
    expect(setting('Port')).toBe('7407');
    expect(setting('PasswordAuthentication')).toBe('no');
    expect(setting('KbdInteractiveAuthentication')).toBe('no');
    expect(setting('PermitRootLogin')).toBe('no');
    expect(setting('AllowGroups')).toBe('firedrill-trainees');
    for (const forwarding of ['AllowTcpForwarding', 'X11Forwarding', 'AllowAgentForwarding', 'PermitTunnel', 'AllowStreamLocalForwarding'])
      expect(setting(forwarding), forwarding).toBe('no');
  });

  it("when written, then authorized keys come from the lab's root-owned directory, not the trainee's home", () => {
    expect(setting('AuthorizedKeysFile')).toBe('/s/ssh/authorized_keys/%u');
    expect(setting('HostKey')).toBe('/s/ssh/key');
    expect(text).not.toMatch(/^ForceCommand/m);
  });
});
