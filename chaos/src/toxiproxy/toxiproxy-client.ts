/**
 * A small client for Toxiproxy's HTTP API. Every call has a timeout: Toxiproxy's API is known to
 * hang while removing toxics under load (Shopify/toxiproxy#159, #412), and a fault that cannot
 * be reverted must fail loudly, not hang the controller.
 */
export interface ProxyConfig {
  name: string;
  listen: string;
  upstream: string;
  enabled?: boolean;
}

export interface Toxic {
  name: string;
  type: 'latency' | 'timeout' | 'reset_peer' | 'bandwidth' | 'slow_close' | 'slicer' | 'limit_data';
  stream: 'upstream' | 'downstream';
  toxicity?: number;
  attributes: Record<string, number>;
}

export interface Proxy extends Required<ProxyConfig> {
  toxics: Toxic[];
}

export class ToxiproxyError extends Error {
  readonly status: number;
  constructor(message: string, status: number) {
    super(message);
    this.name = 'ToxiproxyError';
    this.status = status;
  }
}

export function createToxiproxyClient(baseUrl: string, timeoutMs = 2_000) {
  async function call<T>(method: string, path: string, body?: unknown): Promise<T> {
    const res = await fetch(`${baseUrl}${path}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? null : JSON.stringify(body),
      signal: AbortSignal.timeout(timeoutMs),
    });
    const text = await res.text();
    if (!res.ok) throw new ToxiproxyError(`toxiproxy ${method} ${path}: ${res.status} ${text.trim()}`, res.status);
    return (text ? JSON.parse(text) : undefined) as T;
  }

  return {
    /** Creates or updates the proxies (idempotent). */
    populate: (proxies: ProxyConfig[]) =>
      call<{ proxies: Proxy[] }>(
        'POST',
        '/populate',
        proxies.map((p) => ({ enabled: true, ...p })),
      ),
    proxy: (name: string) => call<Proxy>('GET', `/proxies/${encodeURIComponent(name)}`),
    /** Every proxy, by name. */
    proxies: () => call<Record<string, Proxy>>('GET', '/proxies'),
    setEnabled: (name: string, enabled: boolean) => call<Proxy>('POST', `/proxies/${encodeURIComponent(name)}`, { enabled }),
    addToxic: (proxy: string, toxic: Toxic) => call<Toxic>('POST', `/proxies/${encodeURIComponent(proxy)}/toxics`, { toxicity: 1, ...toxic }),
    removeToxic: (proxy: string, toxic: string) => call<void>('DELETE', `/proxies/${encodeURIComponent(proxy)}/toxics/${encodeURIComponent(toxic)}`),
    /** Re-enables every proxy and removes every toxic. */
    reset: () => call<void>('POST', '/reset'),
    version: () => fetch(`${baseUrl}/version`, { signal: AbortSignal.timeout(timeoutMs) }).then((r) => r.text()),
  };
}

export type ToxiproxyClient = ReturnType<typeof createToxiproxyClient>;
