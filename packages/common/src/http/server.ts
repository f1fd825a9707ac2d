import { randomUUID } from 'node:crypto';
import { createServer as createHttpServer, IncomingMessage, ServerResponse, STATUS_CODES, type Server } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Express } from 'express';
import type { Logger } from 'pino';
import { errorBody } from '../errors/index.js';

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

// Node's HTTP parser errors that deserve a status of their own; every other one is a 400.
const PARSER_ERRORS: Record<string, readonly [number, string, string]> = {
  HPE_HEADER_OVERFLOW: [431, 'HeadersTooLarge', 'The request line or headers are too large'],
  ERR_HTTP_REQUEST_TIMEOUT: [408, 'RequestTimeout', 'The request took too long to arrive'],
};

/*
 * A request Node's HTTP parser rejects (an unknown method, a malformed header or chunk, headers
 * over the size limit) never reaches express; Node's own answer is an empty 400. This one is
 * in the error body with a request id, like every other error, and closes the connection, which
 * cannot be trusted to be in step any more.
 */
function answerClientError(err: NodeJS.ErrnoException, socket: Duplex): void {
  const response = (socket as { _httpMessage?: ServerResponse })._httpMessage;
  if (err.code === 'ECONNRESET' || !socket.writable || response?.headersSent) {
    socket.destroy();
    return;
  }
  const [status, type, message] = PARSER_ERRORS[err.code ?? ''] ?? [400, 'BadRequest', 'The request is not valid HTTP'];
  const requestId = `req_${randomUUID()}`;
  const body = JSON.stringify(errorBody(type, message, requestId));
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\n` +
      'Content-Type: application/json; charset=utf-8\r\n' +
      `Content-Length: ${Buffer.byteLength(body)}\r\n` +
      `X-Request-ID: ${requestId}\r\n` +
      'Connection: close\r\n\r\n' +
      body,
  );
}

/** An HTTP server for an express app whose requests start with the app's prototypes (see above). */
export function createServer(app: Express): Server {
  const server = createHttpServer(requestClasses(app), app);
  server.on('clientError', answerClientError);
  return server;
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
