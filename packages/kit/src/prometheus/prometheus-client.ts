import { basicAuthorization, type BasicCredentials, readBasicCredentials } from './basic-credentials.ts';

/**
 * How every part of the lab asks Prometheus (or Alertmanager, or a team's gate to Prometheus):
 * the base URL plus, where it requires them, basic-auth credentials or a bearer token (a team's
 * gate wants its team's token) sent as an Authorization header. Node's fetch refuses URLs carrying user:password, and a URL with a password in it ends
 * up in error messages and logs; `url` here never holds one, so it is safe to print.
 */
export interface PrometheusClient {
  /** The base URL, without credentials: for messages and for tools given their own auth (k6). */
  readonly url: string;
  readonly credentials: BasicCredentials | undefined;
  /** GET (or `init`'s method) `pathAndQuery` ("/api/v1/query?query=up") at the base URL, with the credentials. */
  fetch(pathAndQuery: string, init?: RequestInit): Promise<Response>;
}

export function prometheusClient(options: { url: string; credentials?: BasicCredentials | undefined; token?: string | undefined }): PrometheusClient {
  if (options.credentials && options.token) throw new Error('a Prometheus client sends basic credentials or a bearer token, not both');
  const base = options.url.replace(/\/+$/, '');
  const authorization = options.credentials ? basicAuthorization(options.credentials) : options.token ? `Bearer ${options.token}` : undefined;
  return {
    url: base,
    credentials: options.credentials,
    fetch(pathAndQuery, init = {}) {
      const headers = new Headers(init.headers);
      if (authorization) headers.set('authorization', authorization);
      return fetch(`${base}${pathAndQuery.startsWith('/') ? '' : '/'}${pathAndQuery}`, { ...init, headers });
    },
  };
}

/** A client from a service's settings: PROMETHEUS_URL and, when set, PROMETHEUS_CREDENTIALS_FILE ("user:password", 0600). */
export function prometheusClientFromSettings(url: string, credentialsFile: string | undefined): PrometheusClient {
  return prometheusClient({ url, credentials: credentialsFile ? readBasicCredentials(credentialsFile) : undefined });
}
