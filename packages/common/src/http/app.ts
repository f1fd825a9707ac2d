import type { IncomingMessage, OutgoingHttpHeader, ServerResponse } from 'node:http';
import express, { type Express, type RequestHandler } from 'express';
import helmet from 'helmet';
import type { Logger } from 'pino';
import { requestContext } from './request-context.js';
import { RequestTimeoutError, ValidationError } from '../errors/index.js';
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
  app.use(securityHeaders());
  app.use(requestContext(app, options.logger));
  for (const middleware of options.before ?? []) app.use(middleware);
  if (options.jsonLimit !== false) app.use(jsonBody(options.jsonLimit ?? 1_048_576));
  return app;
}

/**
 * helmet's security headers (its defaults), worked out once and then set on every response from the
 * list. helmet() sets the very same headers on every response, but through a dozen middleware, each
 * building its value again: on the gateway's proxied path that cost about a tenth of its requests a
 * second, the headers from a list under half of that. A route that needs another value sets its own
 * header after this one (the API docs' and the web app's Content-Security-Policy).
 */
function securityHeaders(): RequestHandler {
  const set: Array<[string, OutgoingHttpHeader]> = [];
  const removed: string[] = [];
  const recorder = {
    setHeader(name: string, value: OutgoingHttpHeader) {
      set.push([name, value]);
      return recorder;
    },
    removeHeader(name: string) {
      removed.push(name);
    },
  };
  let finished = false;
  helmet()({} as IncomingMessage, recorder as unknown as ServerResponse, (err?: unknown) => {
    if (err) throw err;
    finished = true;
  });
  // With its defaults helmet answers at once: no directive is a function of the request.
  if (!finished) throw new Error('helmet did not set its headers at once');
  return (_req, res, next) => {
    for (const [name, value] of set) res.setHeader(name, value);
    for (const name of removed) res.removeHeader(name);
    next();
  };
}

/** How long a JSON body may take to arrive in full, unless the caller of jsonBody() says otherwise. */
const JSON_BODY_TIMEOUT_MS = 60_000;

/**
 * Parses JSON bodies up to `limitBytes`, refusing text with a NUL character (`\u0000`) anywhere in
 * it: PostgreSQL cannot store one in text or jsonb, and no learner means to send one. A body that
 * has not arrived in full after `timeoutMs` (a client announcing more than it sends) gets 408 and
 * the connection is closed, rather than waiting on it for Node's five-minute request timeout.
 */
export function jsonBody(limitBytes: number, options: { timeoutMs?: number } = {}): RequestHandler {
  const parse = express.json({ limit: limitBytes, strict: true, type: ['application/json', 'application/*+json'] });
  const timeoutMs = options.timeoutMs ?? JSON_BODY_TIMEOUT_MS;
  return (req, res, next) => {
    let settled = false;
    const timer = setTimeout(() => {
      settled = true;
      next(new RequestTimeoutError());
    }, timeoutMs);
    parse(req, res, (err?: unknown) => {
      clearTimeout(timer);
      // After a 408 the closing connection aborts the read, which reports here too.
      if (settled) return;
      settled = true;
      if (err !== undefined) {
        next(err);
        return;
      }
      const at = findNul(req.body);
      if (at === undefined) {
        next();
        return;
      }
      next(new ValidationError('Text must not contain the NUL character (\\u0000)', { [at || '_']: 'contains the NUL character' }));
    });
  };
}

/** The path of the first string (value or key) holding a NUL, walking without recursion so deep nesting cannot overflow the stack. */
function findNul(body: unknown): string | undefined {
  const pending: Array<[unknown, string]> = [[body, '']];
  for (let item = pending.pop(); item !== undefined; item = pending.pop()) {
    const [value, path] = item;
    if (typeof value === 'string') {
      if (value.includes('\0')) return path;
    } else if (typeof value === 'object' && value !== null) {
      for (const [key, child] of Object.entries(value)) {
        const childPath = path ? `${path}.${key}` : key;
        if (key.includes('\0')) return path || '_';
        pending.push([child, childPath]);
      }
    }
  }
  return undefined;
}

/** Adds the 404 and error handlers; call after every route is mounted. */
export function finishApp(app: Express): Express {
  app.use(notFoundHandler());
  app.use(errorHandler());
  return app;
}
