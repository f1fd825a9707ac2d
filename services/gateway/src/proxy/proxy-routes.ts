import { Agent } from 'node:http';
import type { IncomingHttpHeaders } from 'node:http';
import type { Request, RequestHandler } from 'express';
import { INTERNAL_TOKEN_HEADER, type InternalTokens } from '@learner/common/auth';
import { PayloadTooLargeError } from '@learner/common/errors';
import type { RequestUser } from '@learner/common/http';
import { requireAccessClaims } from '../gatekeeper.js';
import { createServiceProxy } from './service-proxy.js';

export const SERVICE_NAMES = ['tts', 'stt', 'chat', 'document', 'quiz'] as const;
export type ServiceName = (typeof SERVICE_NAMES)[number];

/** Public path prefixes; each service mounts its routes at the same path, so it is forwarded as is. */
const API_PREFIXES: ReadonlyArray<readonly [string, ServiceName]> = [
  ['/api/v1/tts', 'tts'],
  ['/api/v1/stt', 'stt'],
  ['/api/v1/chat', 'chat'],
  ['/api/v1/documents', 'document'],
  ['/api/v1/quizzes', 'quiz'],
];

// Headers only the gateway may set; a client sending them is trying to pick an identity.
const IDENTITY_HEADERS = ['x-user-id', 'x-user-email', INTERNAL_TOKEN_HEADER] as const;
// Room for the multipart framing and text fields around a file of the largest allowed size.
const MULTIPART_OVERHEAD = 1024 * 1024;
/** Lifetime of the internal tokens the gateway signs (main.ts creates them with it). */
export const INTERNAL_TOKEN_TTL_SECONDS = 60;

interface ApiArea {
  prefix: string;
  /** The prefix and a slash: paths under it. */
  below: string;
  service: ServiceName;
  /** The metrics route of the paths below it (the prefix itself is its own). */
  belowRoute: string;
}

// Worked out once: matching a request's path then makes no strings of its own.
const API_AREAS: readonly ApiArea[] = API_PREFIXES.map(([prefix, service]) => ({
  prefix,
  below: `${prefix}/`,
  service,
  belowRoute: `${prefix}/*`,
}));

function matchApiArea(path: string): ApiArea | undefined {
  // Every prefix starts with /api/v1/; most paths that reach here are under one of them.
  if (!path.startsWith('/api/v1/')) return undefined;
  for (const area of API_AREAS) if (path === area.prefix || path.startsWith(area.below)) return area;
  return undefined;
}

/**
 * Internal tokens are reused per user for half their lifetime: signing one per request would cost
 * more than the rest of the gateway's own work on a proxied call.
 */
function createIdentityHeaders(tokens: InternalTokens) {
  const cache = new Map<string, { token: string; renewAt: number }>();
  return (user: RequestUser): string => {
    const key = `${user.id}\n${user.email}`;
    const now = Date.now();
    const cached = cache.get(key);
    if (cached && cached.renewAt > now) return cached.token;
    if (cache.size >= 10_000) cache.clear();
    const token = tokens.sign(user);
    cache.set(key, { token, renewAt: now + (INTERNAL_TOKEN_TTL_SECONDS * 1000) / 2 });
    return token;
  };
}

// A delete turns the headers object into a slow dictionary for the rest of the request, so only
// headers that are there are deleted (a client rarely sends them).
function stripIdentity(headers: IncomingHttpHeaders): void {
  for (const name of IDENTITY_HEADERS) if (headers[name] !== undefined) delete headers[name];
}

function assertBodySize(req: Request, maxBytes: number): void {
  const length = Number(req.get('content-length') ?? 0);
  if (length > maxBytes) throw new PayloadTooLargeError('The request body is too large', { limit_bytes: maxBytes });
}

export function createProxyRoutes(deps: {
  services: Record<ServiceName, string>;
  internalTokens: InternalTokens;
  timeoutMs: number;
  maxFileSize: number;
}): { api: RequestHandler; files: RequestHandler } {
  const agent = new Agent({ keepAlive: true, maxFreeSockets: 256 });
  const proxies = Object.fromEntries(
    SERVICE_NAMES.map((service) => [
      service,
      createServiceProxy({ service, target: deps.services[service], timeoutMs: deps.timeoutMs, agent }),
    ]),
  ) as Record<ServiceName, RequestHandler>;
  const internalToken = createIdentityHeaders(deps.internalTokens);
  const maxBodyBytes = deps.maxFileSize + MULTIPART_OVERHEAD;

  /** `/api/v1/<area>/...` for a signed-in user, with the identity headers of that user. */
  const api: RequestHandler = (req, res, next) => {
    // req.path parses the URL each time it is read: once here.
    const path = req.path;
    const area = matchApiArea(path);
    if (!area) {
      next();
      return;
    }
    res.locals.metricsRoute = path === area.prefix ? area.prefix : area.belowRoute;
    const claims = requireAccessClaims(req);
    assertBodySize(req, maxBodyBytes);
    const user = { id: claims.user_id, email: claims.email };
    // Assigning replaces whatever the client sent under these names.
    req.headers['x-user-id'] = user.id;
    req.headers['x-user-email'] = user.email;
    req.headers[INTERNAL_TOKEN_HEADER] = internalToken(user);
    return proxies[area.service](req, res, next);
  };

  /** `/files/<service>/<key>`: signed download links of local storage; the signature is the permission. */
  const files: RequestHandler = (req, res, next) => {
    const [, service, ...rest] = req.path.split('/');
    if (!service || !(SERVICE_NAMES as readonly string[]).includes(service) || rest.length === 0) {
      next();
      return;
    }
    res.locals.metricsRoute = `/files/${service}/*`;
    stripIdentity(req.headers);
    const query = req.url.indexOf('?');
    req.url = `/files/${rest.join('/')}${query >= 0 ? req.url.slice(query) : ''}`;
    return proxies[service as ServiceName](req, res, next);
  };

  return { api, files };
}
