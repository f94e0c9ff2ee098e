import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, createWriteStream, mkdirSync, openSync, type WriteStream } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';

export interface ManagedProcessOptions {
  /** Name written as `service` on every wrapped log line. */
  name: string;
  command: string;
  args: string[];
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** Every stdout/stderr line goes here as one JSON line (JSON lines pass through unchanged). */
  logFile: string;
  /**
   * The process already writes one JSON object per line on stdout (the services' pino loggers):
   * stdout then goes straight into the log file instead of through a pipe to this process, which
   * under load saves a wake-up of the supervisor per log line. stderr is still wrapped.
   */
  writesJsonLines?: boolean;
  /** Run as this uid/gid (root starting Postgres, which refuses to run as root). */
  runAs?: { uid: number; gid: number };
  /** Signal for a clean stop: Postgres wants SIGINT ("fast" shutdown), the rest SIGTERM. */
  stopSignal?: NodeJS.Signals;
  /**
   * Own process group: a Ctrl-C in the supervisor's terminal then reaches only the supervisor,
   * which stops its children itself, in order.
   */
  detached?: boolean;
}

export interface ManagedProcess {
  readonly name: string;
  readonly pid: number;
  readonly child: ChildProcess;
  /** Resolves with the exit code (or signal) once the process has ended. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Clean stop; after graceMs, SIGKILL. Safe to call more than once. */
  stop(graceMs?: number): Promise<void>;
}

/**
 * Starts a child process whose output becomes JSON lines in a log file, so every process the lab
 * runs can be read the same way (`tail -f … | jq`).
 */
export function startManagedProcess(options: ManagedProcessOptions): ManagedProcess {
  mkdirSync(path.dirname(options.logFile), { recursive: true });
  const log = createWriteStream(options.logFile, { flags: 'a' });
  // Both writers append (O_APPEND), so their lines interleave whole.
  const directStdout = options.writesJsonLines ? openSync(options.logFile, 'a') : undefined;
  // uid/gid rather than a `runuser` wrapper, so signals reach the real process.
  const child = spawn(options.command, options.args, {
    ...options.runAs,
    cwd: options.cwd,
    env: options.env ?? process.env,
    detached: options.detached ?? false,
    stdio: ['ignore', directStdout ?? 'pipe', 'pipe'],
  });
  // The child has its own copy of the descriptor now.
  if (directStdout !== undefined) closeSync(directStdout);
  else pipeAsJsonLines(child.stdout!, log, options.name, 'info');
  pipeAsJsonLines(child.stderr!, log, options.name, 'warn');

  // 'exit' can come before the last lines of stdout/stderr have been read; 'close' comes after
  // the pipes are drained, so the log ends only then (writing after its end would crash us).
  const endLog = () => {
    if (!log.writableEnded) log.end();
  };
  child.once('close', endLog);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once('exit', (code, signal) => resolve({ code, signal }));
    child.once('error', (err) => {
      log.write(`${JSON.stringify({ time: new Date().toISOString(), level: 'error', service: options.name, msg: `could not start: ${err.message}` })}\n`);
      endLog();
      resolve({ code: 127, signal: null });
    });
  });

  let stopping: Promise<void> | undefined;
  return {
    name: options.name,
    pid: child.pid ?? -1,
    child,
    exited,
    stop(graceMs = 10_000) {
      stopping ??= (async () => {
        if (child.exitCode !== null || child.signalCode !== null) return;
        child.kill(options.stopSignal ?? 'SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
        await exited;
        clearTimeout(timer);
      })();
      return stopping;
    },
  };
}

function pipeAsJsonLines(stream: NodeJS.ReadableStream, log: WriteStream, service: string, level: string): void {
  const lines = createInterface({ input: stream, crlfDelay: Infinity });
  lines.on('line', (line) => {
    if (!line.trim() || log.writableEnded) return;
    if (line.startsWith('{') && line.endsWith('}')) {
      log.write(`${line}\n`);
    } else {
      log.write(`${JSON.stringify({ time: new Date().toISOString(), level, service, msg: line })}\n`);
    }
  });
}
