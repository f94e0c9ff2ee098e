import { toolsBinDir, which } from './binaries.ts';
import { startManagedProcess, type ManagedProcess } from './managed-process.ts';
import { waitFor } from './wait-for.ts';

export interface ToxiproxyServer {
  readonly port: number;
  /** The HTTP API, e.g. http://127.0.0.1:7474. */
  readonly url: string;
  readonly process: ManagedProcess;
  stop(): Promise<void>;
}

/** Starts Toxiproxy's server (built by `lab setup` into the tools dir) on loopback. */
export async function startToxiproxy(options: { port: number; logFile: string }): Promise<ToxiproxyServer> {
  const bin = which('toxiproxy-server', [toolsBinDir()]);
  if (!bin) throw new Error('toxiproxy-server not found: run `npx lab setup` (it builds Toxiproxy with Go)');
  const proc = startManagedProcess({
    name: 'toxiproxy',
    command: bin,
    args: ['-host', '127.0.0.1', '-port', String(options.port)],
    logFile: options.logFile,
  });
  const url = `http://127.0.0.1:${options.port}`;
  await Promise.race([
    waitFor(`toxiproxy on port ${options.port}`, async () => (await fetch(`${url}/version`, { signal: AbortSignal.timeout(500) })).ok, { timeoutMs: 15_000 }),
    proc.exited.then(({ code }) => {
      throw new Error(`toxiproxy exited with code ${code} while starting; see ${options.logFile}`);
    }),
  ]);
  return { port: options.port, url, process: proc, stop: () => proc.stop() };
}
