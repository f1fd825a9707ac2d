import cors from 'cors';
import type { Express, RequestHandler } from 'express';
import type { AccessTokenService } from '@learner/common/auth';
import type { Pool } from '@learner/common/db';
import type { EventConsumer } from '@learner/common/events';
import type { TrustProxy } from '@learner/common/http';
import { createServiceApp, type ServiceAppDeps } from '@learner/common/service';
import { createAuthRouter } from './auth/auth-routes.js';
import { createAuthService } from './auth/auth-service.js';
import { createDocsRouter } from './docs/docs-routes.js';
import { createErasureRouter } from './erasure/erasure-routes.js';
import { createErasureService, registerErasureConfirmations } from './erasure/erasure-service.js';
import { createGatekeeper } from './gatekeeper.js';
import { createProxyRoutes, type ServiceName } from './proxy/proxy-routes.js';
import type { TrafficControls } from './traffic/traffic-controls.js';
import { createWebRouter, type WebAppOptions } from './web/web-routes.js';

export interface GatewayAppDeps extends ServiceAppDeps {
  pool: Pool;
  accessTokens: AccessTokenService;
  /** Rate limit and revoked tokens, in Redis or in memory. */
  traffic: TrafficControls;
  /** Base URL of each service behind the gateway. */
  services: Record<ServiceName, string>;
  refreshTokenDays: number;
  requestTimeoutMs: number;
  maxFileSize: number;
  corsOrigins: string[];
  /** Peers trusted to name the client in X-Forwarded-For (express's trust proxy); default loopback. */
  trustProxy?: TrustProxy;
  /** The OpenAPI document served at /openapi.json and /docs. */
  apiDocument: object;
  /** The learners' web app, served at `/`; left out, `/` answers 404. */
  webApp?: WebAppOptions;
  /** The gateway's event consumer (account erasures' confirmations); the caller starts it. */
  events?: Pick<EventConsumer, 'on'>;
}

const EXPOSED_HEADERS = ['X-Request-ID', 'X-RateLimit-Limit', 'X-RateLimit-Remaining', 'X-RateLimit-Reset', 'Retry-After'];

/**
 * CORS headers only mean something to a browser, and a browser names the page's origin on every
 * cross-origin call; curl, the CLI and server-to-server callers send no Origin and get none of
 * them. `Vary: Origin` goes on every answer all the same, so a cache never hands one origin's
 * answer to another.
 */
function browserOnlyCors(origins: string[]): RequestHandler {
  const handler = cors({ origin: origins, credentials: true, exposedHeaders: EXPOSED_HEADERS, maxAge: 600 });
  return (req, res, next) => {
    if (req.headers.origin !== undefined) {
      handler(req, res, next);
      return;
    }
    res.setHeader('Vary', 'Origin');
    next();
  };
}

export function createApp(deps: GatewayAppDeps): Express {
  const gate = createGatekeeper(deps);
  const auth = createAuthService(deps);
  const erasure = createErasureService(deps);
  if (deps.events) registerErasureConfirmations(deps.events);
  const proxy = createProxyRoutes({
    services: deps.services,
    internalTokens: deps.internalTokens,
    timeoutMs: deps.requestTimeoutMs,
    maxFileSize: deps.maxFileSize,
  });
  return createServiceApp({
    ...deps,
    service: 'gateway',
    // Proxied bodies must reach the services byte for byte; only the auth routes parse JSON.
    jsonLimit: false,
    before: [browserOnlyCors(deps.corsOrigins)],
    // The gateway signs internal tokens rather than accepting them: no route takes `identity`.
    routes(app) {
      // Proxied calls are nearly all the traffic, so their routes come first: every layer a request
      // passes on its way costs it a path match.
      app.use('/api/v1', gate());
      app.use(proxy.api);
      app.use('/api/v1/auth', createAuthRouter(auth));
      app.use('/api/v1/auth', createErasureRouter(erasure));
      app.use('/files', gate({ perIp: true }), proxy.files);
      app.use(['/docs', '/openapi.json'], gate({ perIp: true }));
      app.use(createDocsRouter(deps.apiDocument));
      if (deps.webApp) app.use(createWebRouter(deps.webApp));
    },
  });
}
