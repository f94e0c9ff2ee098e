import { spawn } from 'node:child_process';

/** System calls of one process (all its threads) over a window, by name. */
export type SyscallCounts = Map<string, number>;

/**
 * Counts the system calls of running processes with `strace -c -f -p`, until the returned stop
 * is called. A count does not depend on machine noise the way CPU time does, so it shows a cut
 * in messages (a socket write is a message to another process, and its wake-up) even on a busy
 * machine. strace slows every traced call down a lot: measure CPU in another window.
 */
export function countSyscalls(pids: Record<string, number>): () => Promise<Record<string, SyscallCounts>> {
  const tracers = Object.entries(pids).map(([name, pid]) => {
    const child = spawn('strace', ['-c', '-f', '-q', '-p', String(pid)], { stdio: ['ignore', 'ignore', 'pipe'] });
    let summary = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      summary += chunk;
    });
    const exited = new Promise<void>((resolve) => child.once('close', () => resolve()));
    return { name, child, exited, summary: () => summary };
  });
  return async () => {
    for (const t of tracers) t.child.kill('SIGINT'); // strace detaches and prints its table
    await Promise.all(tracers.map((t) => t.exited));
    return Object.fromEntries(tracers.map((t) => [t.name, parseStraceSummary(t.summary())]));
  };
}

/**
 * strace -c's table: `% time  seconds  usecs/call  calls  errors  syscall`, errors blank when
 * none; the `total` line is left out.
 */
export function parseStraceSummary(text: string): SyscallCounts {
  const counts: SyscallCounts = new Map();
  for (const line of text.split('\n')) {
    const match = /^\s*[\d.]+\s+[\d.]+\s+\d+\s+(\d+)\s+(?:\d+\s+)?([a-z_0-9]+)\s*$/.exec(line);
    if (match && match[2] !== 'total') counts.set(match[2]!, Number(match[1]));
  }
  return counts;
}
