import { createHash, randomBytes } from 'node:crypto';

/** Who a token is, as the training API's GET /api/whoami answers it. */
export interface Caller {
  role: 'instructor' | 'operator' | 'trainee' | 'agent';
  actor: string;
  team: string | null;
  trainee: string | null;
}

export interface Session {
  caller: Caller;
  /** The lab token the person signed in with: sent on to the training API, never to the browser. */
  token: string;
  /** Sent back by the page in X-CSRF-Token on every state change. */
  csrfToken: string;
  /** Epoch ms after which the session no longer exists. */
  expiresAt: number;
}

export interface SessionStore {
  /** A new session; the id is what the cookie carries (only its hash is kept). */
  create(caller: Caller, token: string): { id: string; session: Session };
  /** The live session an id names, or undefined (unknown, or expired — which also removes it). */
  find(id: string): Session | undefined;
  remove(id: string): void;
  /** How many sessions are alive (for the bench and the health page). */
  size(): number;
}

const hashOf = (id: string) => createHash('sha256').update(id).digest('hex');

/**
 * Sessions in the console's memory. The map is keyed by the SHA-256 of the cookie's value, so
 * nothing in it can be replayed as a cookie; expiry is absolute (from sign-in), checked on every
 * lookup and swept whenever a session is created, so the map never grows with dead sessions.
 */
export function createSessionStore(options: { ttlMs: number; now?: () => number }): SessionStore {
  const now = options.now ?? Date.now;
  const sessions = new Map<string, Session>();
  const sweep = () => {
    const t = now();
    for (const [key, s] of sessions) if (s.expiresAt <= t) sessions.delete(key);
  };
  return {
    create(caller, token) {
      sweep();
      const id = randomBytes(32).toString('base64url');
      const session: Session = { caller, token, csrfToken: randomBytes(32).toString('base64url'), expiresAt: now() + options.ttlMs };
      sessions.set(hashOf(id), session);
      return { id, session };
    },
    find(id) {
      const key = hashOf(id);
      const session = sessions.get(key);
      if (!session) return undefined;
      if (session.expiresAt <= now()) {
        sessions.delete(key);
        return undefined;
      }
      return session;
    },
    remove(id) {
      sessions.delete(hashOf(id));
    },
    size() {
      sweep();
      return sessions.size;
    },
  };
}
