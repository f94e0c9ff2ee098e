import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { RequestListener } from 'node:http';

export interface RunningServer {
  server: Server;
  /** e.g. http://127.0.0.1:7400 — with the real port when started on port 0. */
  url: string;
  port: number;
  /** Stops accepting, lets in-flight requests finish (up to graceMs), then drops the rest. */
  close(): Promise<void>;
}

export async function startHttpServer(app: RequestListener, options: { port: number; host: string; graceMs?: number }): Promise<RunningServer> {
  const server = createServer(app);
  // Load generators keep connections alive; a short keep-alive timeout lets shutdown finish
  // promptly while still reusing connections under load.
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const host = options.host.includes(':') ? `[${options.host}]` : options.host;
  let closing: Promise<void> | undefined;
  // During shutdown, a kept-alive connection is closed as soon as its last response is sent,
  // rather than idling until graceMs runs out.
  server.on('request', (_req, res) => {
    res.once('finish', () => {
      if (closing) setImmediate(() => server.closeIdleConnections());
    });
  });
  return {
    server,
    port,
    url: `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${port}`,
    close() {
      closing ??= new Promise<void>((resolve) => {
        const timer = setTimeout(() => server.closeAllConnections(), options.graceMs ?? 5_000);
        timer.unref();
        server.close(() => {
          clearTimeout(timer);
          resolve();
        });
        server.closeIdleConnections();
      });
      return closing;
    },
  };
}
