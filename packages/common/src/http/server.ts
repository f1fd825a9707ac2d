import { createServer as createHttpServer, IncomingMessage, ServerResponse, type Server } from 'node:http';
import type { Express } from 'express';
import type { Logger } from 'pino';

interface RequestClasses {
  IncomingMessage: typeof IncomingMessage;
  ServerResponse: typeof ServerResponse;
}

const prepared = new WeakMap<Express, RequestClasses>();

/*
 * Express gives every request and response its own methods by swapping their prototype
 * (Object.setPrototypeOf(req, app.request)) on each request. V8 then treats them as objects of a
 * changed shape, and every piece of Node's HTTP code they pass through runs on its slow path:
 * measured here, that halved the gateway's proxied throughput. Instead the server constructs them
 * as instances of subclasses whose prototype *is* app.request / app.response, so Express's swap
 * finds the prototype already in place and does nothing.
 */
function requestClasses(app: Express): RequestClasses {
  const known = prepared.get(app);
  if (known) return known;
  class AppRequest extends IncomingMessage {}
  Object.setPrototypeOf(AppRequest.prototype, app.request);
  app.request = AppRequest.prototype as Express['request'];
  class AppResponse<Req extends IncomingMessage = IncomingMessage> extends ServerResponse<Req> {}
  Object.setPrototypeOf(AppResponse.prototype, app.response);
  app.response = AppResponse.prototype as unknown as Express['response'];
  const classes: RequestClasses = { IncomingMessage: AppRequest, ServerResponse: AppResponse };
  prepared.set(app, classes);
  return classes;
}

/** An HTTP server for an express app whose requests start with the app's prototypes (see above). */
export function createServer(app: Express): Server {
  return createHttpServer(requestClasses(app), app);
}

export function listen(app: Express, port: number, host = '0.0.0.0'): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = createServer(app);
    server.once('listening', () => resolve(server));
    server.once('error', reject);
    server.listen(port, host);
  });
}

export function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeIdleConnections();
  });
}

/**
 * Runs `cleanup` once on SIGTERM/SIGINT, then exits. Keeps a hard deadline so a stuck
 * dependency cannot keep a stopping process alive.
 */
export function onShutdown(logger: Logger, cleanup: () => Promise<void>, deadlineMs = 10_000): void {
  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    setTimeout(() => process.exit(1), deadlineMs).unref();
    cleanup()
      .then(() => process.exit(0))
      .catch((err: unknown) => {
        logger.error({ err }, 'shutdown failed');
        process.exit(1);
      });
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}
