import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { portsFor, teamBlockSize, teamPortsFor } from './port-layout.ts';

/** A port that was free a moment ago (the OS picks it), for test instances. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/** True when something accepts TCP connections on 127.0.0.1:port. */
export async function isPortOpen(port: number, host = '127.0.0.1'): Promise<boolean> {
  const { connect } = await import('node:net');
  return new Promise((resolve) => {
    const socket = connect({ port, host });
    const done = (open: boolean) => {
      socket.destroy();
      resolve(open);
    };
    socket.setTimeout(500, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

/**
 * A block of 100 ports (20000 + 100·k; one more block per team of a class) where nothing listens, so a test lab collides with no other.
 * The blocks end below the kernel's ephemeral range: a port in it can be taken at any moment by
 * the local end of some outgoing connection, which no "does anything listen" check foresees
 * (seen: Toxiproxy failing to bind 49274 while another lab was busy).
 */
export async function freePortBlock(teams = 0): Promise<number> {
  const ephemeralStart = Number(readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/)[0]) || 32_768;
  // A class (docs/decisions/0015) takes one more block of 100 per team after the shared planes'.
  const blocks = Math.floor((ephemeralStart - 20_000) / teamBlockSize) - 1 - teams;
  for (let attempt = 0; attempt < 50; attempt++) {
    const base = 20_000 + teamBlockSize * Math.floor(Math.random() * blocks);
    const ports = [...Object.values(portsFor(base)), ...Array.from({ length: teams }, (_, i) => Object.values(teamPortsFor(base, i + 1))).flat()];
    const open = await Promise.all(ports.map((port) => isPortOpen(port)));
    if (!open.some(Boolean)) return base;
  }
  throw new Error('no free block of 100 ports found');
}
