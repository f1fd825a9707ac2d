import { sessionFrom, type Session, type SessionStore } from '../auth/session-store.js';
import { ApiError, errorFromResponse, networkError } from './errors.js';
import type { AuthResult, Pagination } from './types.js';

export interface UploadProgress {
  loaded: number;
  total: number;
}

export interface RequestOptions {
  json?: unknown;
  query?: Record<string, string | number | boolean | undefined>;
  signal?: AbortSignal;
}

export interface ApiClient {
  get<T>(path: string, options?: RequestOptions): Promise<T>;
  list<T>(path: string, options?: RequestOptions): Promise<{ data: T[]; pagination: Pagination | null }>;
  post<T>(path: string, options?: RequestOptions): Promise<T>;
  put<T>(path: string, options?: RequestOptions): Promise<T>;
  patch<T>(path: string, options?: RequestOptions): Promise<T>;
  delete<T>(path: string, options?: RequestOptions): Promise<T>;
  /** A multipart upload whose progress is reported as the bytes leave (XMLHttpRequest: fetch cannot tell). */
  upload<T>(path: string, form: FormData, onProgress?: (p: UploadProgress) => void, signal?: AbortSignal): Promise<T>;
  signIn(email: string, password: string): Promise<Session>;
  signUp(email: string, password: string, name?: string): Promise<Session>;
  signOut(): Promise<void>;
  /**
   * Erases the account, confirmed by its password; the session ends when it answers. A wrong
   * password is an error and keeps the session (it is not a reason to refresh the token).
   */
  deleteAccount(password: string): Promise<AccountErasure>;
}

/** The receipt of an account erasure: every service erases its part, then confirms. */
export interface AccountErasure {
  erasure_id: string;
  status: 'pending' | 'completed';
  status_url: string;
}

interface RawAnswer {
  status: number;
  text: string;
  retryAfter: string | null;
}

/** Refresh this long before the access token's `exp`, so a call in flight does not meet it expired. */
const REFRESH_MARGIN_SECONDS = 30;

/** Seconds since the epoch at which a JWT expires, read from its payload (not verified: the server does). */
export function tokenExpiry(token: string): number | null {
  const payload = token.split('.')[1];
  if (!payload) return null;
  try {
    const json = atob(payload.replace(/-/g, '+').replace(/_/g, '/'));
    const exp = (JSON.parse(json) as { exp?: unknown }).exp;
    return typeof exp === 'number' ? exp : null;
  } catch {
    return null;
  }
}

function withQuery(path: string, query: RequestOptions['query']): string {
  if (!query) return path;
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== '') params.set(k, String(v));
  const qs = params.toString();
  return qs ? `${path}?${qs}` : path;
}

function parse(answer: RawAnswer): { data?: unknown; pagination?: Pagination } {
  if (answer.status < 200 || answer.status >= 300) throw errorFromResponse(answer.status, answer.text, answer.retryAfter);
  try {
    return JSON.parse(answer.text) as { data?: unknown; pagination?: Pagination };
  } catch {
    throw new ApiError(answer.status, 'BadAnswer', 'The server sent an answer the app cannot read.');
  }
}

/**
 * The app's one way to the public API: adds the Bearer token, refreshes it shortly before it
 * expires or when an answer says 401 (once, then the call is retried), and ends the session when
 * the refresh token no longer works either. Refreshes of concurrent calls share one request.
 */
export function createApiClient(options: {
  baseUrl?: string;
  session: SessionStore;
  now?: () => number;
  fetch?: typeof fetch;
}): ApiClient {
  const base = options.baseUrl ?? '';
  const session = options.session;
  const now = options.now ?? (() => Date.now());
  const doFetch = options.fetch ?? ((input: RequestInfo | URL, init?: RequestInit) => fetch(input, init));
  let refreshing: Promise<Session | null> | null = null;

  async function send(method: string, path: string, token: string | null, opts: RequestOptions): Promise<RawAnswer> {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (token) headers.authorization = `Bearer ${token}`;
    let body: string | undefined;
    if (opts.json !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(opts.json);
    }
    let res: Response;
    try {
      res = await doFetch(`${base}${withQuery(path, opts.query)}`, { method, headers, body, signal: opts.signal });
    } catch (err) {
      if (opts.signal?.aborted) throw err;
      throw networkError();
    }
    return { status: res.status, text: await res.text(), retryAfter: res.headers.get('retry-after') };
  }

  function refresh(stale: Session): Promise<Session | null> {
    refreshing ??= (async () => {
      try {
        const answer = await send('POST', '/api/v1/auth/refresh', null, { json: { refresh_token: stale.refreshToken } });
        if (answer.status === 401 || answer.status === 400) {
          session.set(null);
          return null;
        }
        const next = sessionFrom(parse(answer).data as AuthResult);
        session.set(next);
        return next;
      } finally {
        refreshing = null;
      }
    })();
    return refreshing;
  }

  /** The token to send now: refreshed first when it is about to expire. */
  async function currentToken(): Promise<string | null> {
    const s = session.get();
    if (!s) return null;
    const exp = tokenExpiry(s.token);
    if (exp !== null && exp - REFRESH_MARGIN_SECONDS <= now() / 1000) {
      return (await refresh(s))?.token ?? null;
    }
    return s.token;
  }

  function sessionEnded(): ApiError {
    return new ApiError(401, 'SessionEnded', 'Your session has ended. Sign in again.');
  }

  /** Runs one call with the token; on 401, refreshes once and runs it again. */
  async function authorised(run: (token: string | null) => Promise<RawAnswer>): Promise<RawAnswer> {
    const hadSession = session.get() !== null;
    const token = await currentToken();
    if (hadSession && token === null) throw sessionEnded();
    const first = await run(token);
    if (first.status !== 401 || !token) return first;
    const s = session.get();
    // Another call may have refreshed meanwhile: then its token is tried, not a second refresh.
    const next = s && s.token !== token ? s : s ? await refresh(s) : null;
    if (!next) throw sessionEnded();
    const second = await run(next.token);
    if (second.status === 401) {
      session.set(null);
      throw sessionEnded();
    }
    return second;
  }

  const call = async <T>(method: string, path: string, opts: RequestOptions = {}): Promise<T> =>
    parse(await authorised((token) => send(method, path, token, opts))).data as T;

  function xhrUpload(path: string, token: string | null, form: FormData, onProgress?: (p: UploadProgress) => void, signal?: AbortSignal): Promise<RawAnswer> {
    return new Promise((resolve, reject) => {
      const xhr = new XMLHttpRequest();
      xhr.open('POST', `${base}${path}`);
      xhr.setRequestHeader('accept', 'application/json');
      if (token) xhr.setRequestHeader('authorization', `Bearer ${token}`);
      xhr.upload.addEventListener('progress', (e) => {
        if (e.lengthComputable) onProgress?.({ loaded: e.loaded, total: e.total });
      });
      xhr.addEventListener('load', () =>
        resolve({ status: xhr.status, text: xhr.responseText, retryAfter: xhr.getResponseHeader('retry-after') }),
      );
      xhr.addEventListener('error', () => reject(networkError()));
      xhr.addEventListener('abort', () => reject(new DOMException('The upload was cancelled', 'AbortError')));
      signal?.addEventListener('abort', () => xhr.abort(), { once: true });
      xhr.send(form);
    });
  }

  async function authenticate(path: string, body: unknown): Promise<Session> {
    const answer = await send('POST', path, null, { json: body });
    const next = sessionFrom(parse(answer).data as AuthResult);
    session.set(next);
    return next;
  }

  return {
    get: (path, opts) => call('GET', path, opts),
    async list<T>(path: string, opts: RequestOptions = {}) {
      const body = parse(await authorised((token) => send('GET', path, token, opts)));
      return { data: (body.data ?? []) as T[], pagination: body.pagination ?? null };
    },
    post: (path, opts) => call('POST', path, opts),
    put: (path, opts) => call('PUT', path, opts),
    patch: (path, opts) => call('PATCH', path, opts),
    delete: (path, opts) => call('DELETE', path, opts),
    async upload<T>(path: string, form: FormData, onProgress?: (p: UploadProgress) => void, signal?: AbortSignal) {
      return parse(await authorised((token) => xhrUpload(path, token, form, onProgress, signal))).data as T;
    },
    signIn: (email, password) => authenticate('/api/v1/auth/login', { email, password }),
    signUp: (email, password, name) => authenticate('/api/v1/auth/register', name ? { email, password, name } : { email, password }),
    async deleteAccount(password) {
      const token = await currentToken();
      if (!token) throw sessionEnded();
      const receipt = parse(await send('DELETE', '/api/v1/auth/me', token, { json: { password } })).data as AccountErasure;
      session.set(null);
      return receipt;
    },
    async signOut() {
      const s = session.get();
      session.set(null);
      if (!s) return;
      // The server revokes the token and its refresh token; the app has forgotten them either way.
      await send('POST', '/api/v1/auth/logout', s.token, { json: {} }).catch(() => undefined);
    },
  };
}
