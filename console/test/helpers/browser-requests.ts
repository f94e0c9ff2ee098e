import { expect } from 'vitest';

export interface Answer {
  status: number;
  body: Record<string, any>;
  cookie: string | null;
  text: string;
}

export interface RequestOptions {
  cookie?: string;
  csrf?: string;
  body?: unknown;
  /** The Origin header; the console's own unless given, none with null. */
  origin?: string | null;
  site?: string;
  /** Any other headers (an Idempotency-Key, say). */
  headers?: Record<string, string>;
}

/** Requests to a console as a browser on its own page would send them (same Origin), unless told otherwise. */
export function browserRequests(consoleUrl: () => string) {
  const browser = async (method: string, route: string, options: RequestOptions = {}): Promise<Answer> => {
    const headers: Record<string, string> = { ...options.headers };
    if (options.origin !== null) headers.origin = options.origin ?? consoleUrl();
    if (options.site) headers['sec-fetch-site'] = options.site;
    if (options.cookie) headers.cookie = options.cookie;
    if (options.csrf) headers['x-csrf-token'] = options.csrf;
    if (options.body !== undefined) headers['content-type'] = 'application/json';
    const response = await fetch(`${consoleUrl()}${route}`, { method, headers, ...(options.body !== undefined && { body: JSON.stringify(options.body) }) });
    const text = await response.text();
    return { status: response.status, body: text.startsWith('{') ? JSON.parse(text) : {}, cookie: response.headers.get('set-cookie'), text };
  };
  /** Signs in with a token; the cookie pair to send back, the CSRF token the page would hold, and the sign-in's answer. */
  const signIn = async (token: string): Promise<{ cookie: string; csrf: string; answer: Answer }> => {
    const answer = await browser('POST', '/console/sign-in', { body: { token } });
    expect(answer.status, answer.text).toBe(201);
    return { cookie: answer.cookie!.split(';')[0]!, csrf: answer.body.csrfToken, answer };
  };
  return { browser, signIn };
}
