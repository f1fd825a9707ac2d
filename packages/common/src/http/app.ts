import express, { type Express, type RequestHandler } from 'express';
import helmet from 'helmet';
import type { Logger } from 'pino';
import { requestContext } from './request-context.js';
import { errorHandler, notFoundHandler } from './error-handler.js';

export interface BaseAppOptions {
  logger: Logger;
  /** Parse JSON bodies on every route, up to this many bytes; false leaves bodies as streams. */
  jsonLimit?: number | false;
  /** Middleware that must run before routes, e.g. the metrics recorder. */
  before?: RequestHandler[];
  /**
   * Which peers may say who the client is through X-Forwarded-For (express's `trust proxy`): false,
   * a number of hops, or addresses, subnets and the names loopback/linklocal/uniquelocal. Default loopback.
   */
  trustProxy?: TrustProxy;
}

export type TrustProxy = boolean | number | string;

/** An express app with helmet, request ids, per-request logging and (optionally) a JSON parser. */
export function createBaseApp(options: BaseAppOptions): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', options.trustProxy ?? 'loopback');
  app.set('query parser', 'simple');
  app.use(helmet());
  app.use(requestContext(app, options.logger));
  for (const middleware of options.before ?? []) app.use(middleware);
  if (options.jsonLimit !== false) app.use(jsonBody(options.jsonLimit ?? 1_048_576));
  return app;
}

export function jsonBody(limitBytes: number): RequestHandler {
  return express.json({ limit: limitBytes, strict: true, type: ['application/json', 'application/*+json'] });
}

/** Adds the 404 and error handlers; call after every route is mounted. */
export function finishApp(app: Express): Express {
  app.use(notFoundHandler());
  app.use(errorHandler());
  return app;
}
