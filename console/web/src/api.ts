/** The page's one way to call the console: same origin, the session cookie, the CSRF token on writes. */
let csrfToken = '';

export function rememberCsrfToken(token: string): void {
  csrfToken = token;
}

export class ApiProblem extends Error {
  readonly status: number;
  readonly code: string;
  constructor(status: number, code: string, detail: string) {
    super(detail);
    this.status = status;
    this.code = code;
  }
}

/**
 * A new key for each write: the training API records an incident command once per key, so a
 * retried request cannot declare twice. getRandomValues, not randomUUID: a class may open the
 * console over plain http on the room's network, where randomUUID does not exist.
 */
function newIdempotencyKey(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return `console-${Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')}`;
}

export async function api<T>(method: string, path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (method !== 'GET') {
    headers['x-csrf-token'] = csrfToken;
    headers['idempotency-key'] = newIdempotencyKey();
  }
  const response = await fetch(path, { method, headers, credentials: 'same-origin', ...(body !== undefined && { body: JSON.stringify(body) }) });
  if (response.status === 204) return undefined as T;
  const json = (await response.json().catch(() => ({}))) as Record<string, unknown>;
  if (!response.ok) throw new ApiProblem(response.status, String(json.code ?? 'error'), String(json.detail ?? json.title ?? response.statusText));
  return json as T;
}
