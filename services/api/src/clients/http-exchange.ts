import http from 'node:http';
import https from 'node:https';

export interface HttpAnswer {
  status: number;
  text: string;
}

/**
 * One HTTP request and its whole answer as text, on Node's keep-alive global agent, all of it
 * (connecting, sending, reading the body) under `timeoutMs`. It fails with a `TimeoutError` when
 * the time runs out, or with the socket's error (ECONNREFUSED, ECONNRESET …).
 *
 * Why not `fetch`: its WHATWG layer (Headers, streams, the Response) costs the api ~3× the CPU of
 * `http.request` per call on the lab machine (~370 against ~100 µs, docs/decisions/0003), and a
 * checkout makes one. Traced by the http instrumentation, like the api's own requests.
 */
export function httpExchange(url: string, init: { method?: string; headers?: Record<string, string>; body?: string; timeoutMs: number }): Promise<HttpAnswer> {
  return new Promise((resolve, reject) => {
    const signal = AbortSignal.timeout(init.timeoutMs);
    // Registered before the request's own abort listener, so the caller sees the TimeoutError
    // rather than whichever abort error the request and its response emit next.
    signal.addEventListener('abort', () => reject(signal.reason), { once: true });
    const headers = init.body === undefined ? init.headers : { ...init.headers, 'content-length': String(Buffer.byteLength(init.body)) };
    const request = (url.startsWith('https:') ? https : http).request(url, { method: init.method ?? 'GET', headers, signal }, (response) => {
      let text = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => {
        text += chunk;
      });
      response.on('end', () => resolve({ status: response.statusCode ?? 0, text }));
      response.on('error', reject);
    });
    request.on('error', reject);
    request.end(init.body);
  });
}
