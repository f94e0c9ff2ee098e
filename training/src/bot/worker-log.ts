import { open } from 'node:fs/promises';
import path from 'node:path';

/** How much of the end of the worker's log the bot reads each round (`lab logs worker | tail`). */
const tailBytes = 256 * 1024;

/**
 * The runbook's way to the job that crashes the worker: the fatal line before each restart names
 * the job being processed. A job named in two or more fatal lines is the suspect; with several,
 * the one named most often. Lines older than `since` (an earlier incident's job) do not count.
 */
export function findPoisonJob(lines: readonly string[], since = 0): { id: string; crashes: number } | undefined {
  const crashes = new Map<string, number>();
  for (const line of lines) {
    let entry: { level?: unknown; jobId?: unknown; time?: unknown };
    try {
      entry = JSON.parse(line) as typeof entry;
    } catch {
      continue; // a line cut by the tail, or not JSON
    }
    const at = typeof entry.time === 'string' ? Date.parse(entry.time) : Number.NaN;
    if (entry.level === 'fatal' && typeof entry.jobId === 'string' && at >= since) crashes.set(entry.jobId, (crashes.get(entry.jobId) ?? 0) + 1);
  }
  const [id, count] = [...crashes].sort((a, b) => b[1] - a[1])[0] ?? [];
  return id !== undefined && count !== undefined && count >= 2 ? { id, crashes: count } : undefined;
}

/** The last lines of `<logsDir>/worker.log` (the file `lab logs worker` prints); none when absent. */
export async function readWorkerLogTail(logsDir: string): Promise<string[]> {
  let file: Awaited<ReturnType<typeof open>> | undefined;
  try {
    file = await open(path.join(logsDir, 'worker.log'), 'r');
    const { size } = await file.stat();
    const start = Math.max(0, size - tailBytes);
    const buffer = Buffer.alloc(size - start);
    await file.read(buffer, 0, buffer.length, start);
    return buffer.toString('utf8').split('\n');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  } finally {
    await file?.close();
  }
}
