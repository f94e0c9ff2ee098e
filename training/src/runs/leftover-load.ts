import { readdirSync, readFileSync } from 'node:fs';

/**
 * Kills every process whose command line carries `testid=<runId>`: a run's k6 outlives a training
 * process that was killed (it runs in a process group of its own), and only its tag finds it then.
 * Run ids have a fixed length, so one id never matches another's tag. Returns the pids killed.
 */
export function killLeftoverLoad(runId: string): number[] {
  const tag = `testid=${runId}`;
  const killed: number[] = [];
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return killed; // no /proc (not Linux): k6's own duration bounds it
  }
  for (const entry of entries) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    try {
      const args = readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0');
      if (!args.includes(tag)) continue;
      process.kill(Number(entry), 'SIGKILL');
      killed.push(Number(entry));
    } catch {
      // ended while we looked, or not ours to kill
    }
  }
  return killed;
}
