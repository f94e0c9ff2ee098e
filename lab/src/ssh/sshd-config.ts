/**
 * The lab's own sshd_config: keys only, no root, no forwarding of any kind, only the trainees'
 * group, and authorized keys in a root-owned place of the lab's (so a trainee cannot add a key to
 * their own account, nor anyone else's). No ForceCommand: the account's login shell (bash, with
 * the lab's profile) is the trainee's shell.
 */
export function sshdConfigText(options: { port: number; hostKey: string; pidFile: string; authorizedKeysDir: string; group: string }): string {
  return `${[
    '# Written by the lab (lab/src/ssh/sshd-config.ts) at every start: edits are lost.',
    `Port ${options.port}`,
    'ListenAddress 0.0.0.0',
    `HostKey ${options.hostKey}`,
    `PidFile ${options.pidFile}`,
    `AuthorizedKeysFile ${options.authorizedKeysDir}/%u`,
    'AuthorizedKeysCommand none',
    'PubkeyAuthentication yes',
    'PasswordAuthentication no',
    'KbdInteractiveAuthentication no',
    'PermitEmptyPasswords no',
    'HostbasedAuthentication no',
    // No PAM: accounts are ours and key-only; their password field is "*" (no password, not locked).
    'UsePAM no',
    'PermitRootLogin no',
    `AllowGroups ${options.group}`,
    'AllowTcpForwarding no',
    'AllowStreamLocalForwarding no',
    'GatewayPorts no',
    'X11Forwarding no',
    'AllowAgentForwarding no',
    'PermitTunnel no',
    'PermitUserEnvironment no',
    'PermitUserRC no',
    'StrictModes yes',
    'MaxAuthTries 3',
    'LoginGraceTime 20',
    'ClientAliveInterval 30',
    'PrintMotd no',
    'LogLevel INFO',
  ].join('\n')}\n`;
}
