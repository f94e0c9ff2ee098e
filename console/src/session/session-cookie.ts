import type { IncomingMessage } from 'node:http';
import type { Request, Response } from 'express';

export const sessionCookieName = 'firedrill_console';

/** The session id the request's cookie carries, if any (only this cookie is read). */
export function sessionIdOf(req: Pick<IncomingMessage, 'headers'>): string | undefined {
  const header = req.headers.cookie;
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === sessionCookieName) {
      const value = part.slice(eq + 1).trim();
      // Our ids are base64url; anything else is not ours and is ignored.
      return /^[A-Za-z0-9_-]{20,100}$/.test(value) ? value : undefined;
    }
  }
  return undefined;
}

/**
 * HttpOnly: page scripts never see it. SameSite=Strict: the browser leaves it off every request
 * another site starts. Max-Age matches the session's own expiry. Secure when the console is reached
 * over HTTPS (a lab on loopback or a classroom LAN is plain HTTP).
 */
export function setSessionCookie(req: Request, res: Response, id: string, maxAgeMs: number): void {
  const secure = req.secure ? '; Secure' : '';
  res.append('Set-Cookie', `${sessionCookieName}=${id}; HttpOnly; SameSite=Strict; Path=/; Max-Age=${Math.floor(maxAgeMs / 1000)}${secure}`);
}

export function clearSessionCookie(res: Response): void {
  res.append('Set-Cookie', `${sessionCookieName}=; HttpOnly; SameSite=Strict; Path=/; Max-Age=0`);
}
