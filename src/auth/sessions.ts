/**
 * Login sessions, in memory (a restart logs everyone out). An id is 256
 * random bits; each session has its own CSRF token for the double-submit
 * check. A session ends `maxAgeMs` after login or `idleMs` after its last
 * use, whichever comes first; the table is bounded (oldest evicted).
 */
import { randomBytes } from 'node:crypto';

/** One login. The user's role is looked up on every request, so changes apply at once. */
export interface Session {
  readonly id: string;
  readonly user: string;
  readonly csrfToken: string;
  readonly createdMs: number;
  lastUsedMs: number;
}

export interface SessionStore {
  create(user: string): Session;
  /** The live session of that id (its idle timer restarts), or undefined. */
  get(id: string): Session | undefined;
  delete(id: string): void;
  /** Ends every session of a user (password change, deletion). */
  deleteUser(user: string, except?: string): void;
  /** When a session ends at the latest (for the cookie's Max-Age). */
  expiresMs(s: Session): number;
  size(): number;
}

export interface SessionOptions {
  now: () => number;
  maxAgeMs: number;
  idleMs: number;
  maxSessions?: number;
}

const token = (): string => randomBytes(32).toString('base64url');

/** Creates an empty session table. */
export function createSessionStore(o: SessionOptions): SessionStore {
  const sessions = new Map<string, Session>();
  const max = o.maxSessions ?? 10_000;
  const alive = (s: Session, now: number): boolean =>
    now - s.createdMs < o.maxAgeMs && now - s.lastUsedMs < o.idleMs;
  const sweep = (now: number): void => {
    for (const [id, s] of sessions) if (!alive(s, now)) sessions.delete(id);
  };
  return {
    create(user) {
      const now = o.now();
      if (sessions.size >= max) sweep(now);
      // Map order is insertion order: the first entry is the oldest login.
      while (sessions.size >= max) sessions.delete(sessions.keys().next().value!);
      const s: Session = { id: token(), user, csrfToken: token(), createdMs: now, lastUsedMs: now };
      sessions.set(s.id, s);
      return s;
    },
    get(id) {
      const s = sessions.get(id);
      if (!s) return undefined;
      const now = o.now();
      if (!alive(s, now)) {
        sessions.delete(id);
        return undefined;
      }
      s.lastUsedMs = now;
      return s;
    },
    delete: (id) => void sessions.delete(id),
    deleteUser(user, except) {
      for (const [id, s] of sessions) if (s.user === user && id !== except) sessions.delete(id);
    },
    expiresMs: (s) => s.createdMs + o.maxAgeMs,
    size: () => sessions.size,
  };
}
