import type { AuthResult, User } from '../api/types.js';

export interface Session {
  token: string;
  refreshToken: string;
  user: User;
}

export interface SessionStore {
  get(): Session | null;
  set(session: Session | null): void;
  subscribe(listener: () => void): () => void;
}

export function sessionFrom(result: AuthResult): Session {
  return { token: result.token, refreshToken: result.refresh_token, user: result.user };
}

/**
 * The signed-in learner's tokens, kept in `storage` (localStorage in the app) so a reload keeps
 * them; other tabs see sign-in and sign-out through the storage event.
 */
export function createSessionStore(storage: Storage | null, key = 'learner.session'): SessionStore {
  const listeners = new Set<() => void>();
  const read = (): Session | null => {
    try {
      const raw = storage?.getItem(key);
      if (!raw) return null;
      const parsed = JSON.parse(raw) as Partial<Session>;
      return parsed.token && parsed.refreshToken && parsed.user ? (parsed as Session) : null;
    } catch {
      return null;
    }
  };
  let current = read();
  if (typeof window !== 'undefined') {
    window.addEventListener('storage', (event) => {
      if (event.key !== key) return;
      current = read();
      listeners.forEach((l) => l());
    });
  }
  return {
    get: () => current,
    set(session) {
      current = session;
      if (session) storage?.setItem(key, JSON.stringify(session));
      else storage?.removeItem(key);
      listeners.forEach((l) => l());
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
