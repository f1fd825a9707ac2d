import type { Agent, ClientRequest } from 'node:http';
import { connect } from 'node:net';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import vary from 'vary';
import { createProxyMiddleware, type Plugin } from 'http-proxy-middleware';
import {
  errorBody,
  GatewayTimeoutError,
  RequestTimeoutError,
  ServiceUnavailableError,
  UpstreamError,
  type AppError,
} from '@learner/common/errors';

const UPSTREAM_TIMEOUT = 'UPSTREAM_TIMEOUT';
// The service cannot be reached at all, as opposed to failing part-way through an answer.
const UNREACHABLE = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);

// A retried request is answered by the next replica's proxy, which never passes it on.
const noNext: NextFunction = () => undefined;

function upstreamFailure(service: string, err: NodeJS.ErrnoException, req: Request): AppError {
  const details = { service };
  if (err.code === UPSTREAM_TIMEOUT && !req.complete) {
    // The service was still waiting for the body the client announced and never sent.
    return new RequestTimeoutError(undefined, { expected_bytes: Number(req.get('content-length') ?? 0) || undefined });
  }
  if (err.code === UPSTREAM_TIMEOUT) {
    return new GatewayTimeoutError(`The ${service} service did not answer in time`, details);
  }
  if (err.code && UNREACHABLE.has(err.code)) {
    return new ServiceUnavailableError(`The ${service} service is unavailable`, details);
  }
  return new UpstreamError(`The ${service} service failed to answer`, details);
}

function answerFailure(req: Request, res: Response, failure: AppError): void {
  if (res.headersSent) {
    // Part of the answer is already with the client; cutting it off is the only honest signal left.
    res.destroy();
    return;
  }
  req.log.warn({ service: failure.details.service, status: failure.status }, failure.message);
  for (const [name, value] of Object.entries(failure.headers)) res.setHeader(name, value);
  res.status(failure.status).json(errorBody(failure.type, failure.message, req.requestId, failure.details));
}

/** A service's replicas: one address or several, comma-separated (the launcher's REPLICAS). */
export function replicaUrls(target: string): string[] {
  return target.split(',').map((url) => url.trim()).filter(Boolean);
}

/** How often a replica that refused a connection is tried again (a bare TCP connection) while left out. */
const PROBE_EVERY_MS = 1000;

/** Resolves true when something accepts a TCP connection at the URL's host and port. */
function accepts(url: string): Promise<boolean> {
  const { hostname, port, protocol } = new URL(url);
  return new Promise((resolve) => {
    const socket = connect({ host: hostname, port: Number(port || (protocol === 'https:' ? 443 : 80)) });
    socket.setTimeout(PROBE_EVERY_MS);
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
    socket.once('timeout', () => done(false));
  });
}

/**
 * Streams the request to one service and its answer back unchanged: status, headers and body bytes
 * (the gateway never parses proxied bodies). A refused connection answers 503, silence for
 * `timeoutMs` answers 504, both in the error body.
 *
 * With several replicas (`target` a comma-separated list) the calls go round robin. A replica that
 * refuses a connection is left out until it accepts connections again (tried every second); a request without a body is sent on to the
 * next replica at once, one with a body (already streamed, not kept) answers 503 and may be retried.
 */
export function createServiceProxy(options: {
  service: string;
  target: string;
  timeoutMs: number;
  agent: Agent;
}): RequestHandler {
  const targets = replicaUrls(options.target);
  if (targets.length <= 1) return createTargetProxy({ ...options, target: targets[0] ?? options.target });
  const down = new Set<string>();
  const leaveOut = (target: string): void => {
    if (down.has(target)) return;
    down.add(target);
    const probe = (): void => {
      void accepts(target).then((ok) => {
        if (ok) down.delete(target);
        else setTimeout(probe, PROBE_EVERY_MS).unref();
      });
    };
    setTimeout(probe, PROBE_EVERY_MS).unref();
  };
  const tried = new WeakMap<Request, Set<number>>();
  let turn = 0;
  const pick = (req: Request): number | undefined => {
    const seen = tried.get(req) ?? new Set<number>();
    tried.set(req, seen);
    const untried = targets.map((_, i) => (turn + i) % targets.length).filter((i) => !seen.has(i));
    const chosen = untried.find((i) => !down.has(targets[i]!)) ?? (seen.size === 0 ? untried[0] : undefined);
    if (chosen === undefined) return undefined;
    turn = (chosen + 1) % targets.length;
    seen.add(chosen);
    return chosen;
  };
  const proxies: RequestHandler[] = targets.map((target) =>
    createTargetProxy({
      ...options,
      target,
      onRefused: (req, res, next) => {
        leaveOut(target);
        const hasBody = req.get('content-length') !== undefined && req.get('content-length') !== '0';
        if (hasBody || req.get('transfer-encoding') !== undefined) return false;
        const again = pick(req);
        if (again === undefined) return false;
        void proxies[again]!(req, res, next);
        return true;
      },
    }),
  );
  return (req, res, next) => {
    const chosen = pick(req) ?? turn;
    return proxies[chosen]!(req, res, next);
  };
}

function createTargetProxy(options: {
  service: string;
  target: string;
  timeoutMs: number;
  agent: Agent;
  /** A refused connection: true when the request went on to another replica. */
  onRefused?: (req: Request, res: Response, next: NextFunction) => boolean;
}): RequestHandler {
  const { service, timeoutMs } = options;
  // One listener for every request, called with the request as `this`: no closure made per request.
  function onUpstreamTimeout(this: ClientRequest): void {
    this.destroy(Object.assign(new Error(`no answer within ${timeoutMs} ms`), { code: UPSTREAM_TIMEOUT }));
  }
  const failures: Plugin = (proxyServer) => {
    proxyServer.on('proxyReq', (proxyReq: ClientRequest) => {
      proxyReq.setTimeout(timeoutMs, onUpstreamTimeout);
    });
    // The service's headers replace the gateway's of the same name; Vary is a list, and the
    // gateway's `Origin` in it must survive a service that varies on something of its own.
    proxyServer.on('proxyRes', (proxyRes, _req, res) => {
      const serviceVary = proxyRes.headers.vary;
      if (serviceVary === undefined) return;
      const gatewayVary = res.getHeader('vary');
      if (gatewayVary !== undefined) proxyRes.headers.vary = vary.append(serviceVary, String(gatewayVary));
    });
    proxyServer.on('error', (err, req, res) => {
      // Express's req and res are what reach the proxy; a socket would mean a WebSocket upgrade.
      if (res !== undefined && 'status' in res) {
        const code = (err as NodeJS.ErrnoException).code;
        if (code === 'ECONNREFUSED' && options.onRefused?.(req as Request, res as Response, noNext)) return;
        answerFailure(req as Request, res as Response, upstreamFailure(service, err as NodeJS.ErrnoException, req as Request));
      }
    });
  };
  return createProxyMiddleware({
    // A URL, not its text: http-proxy-middleware and httpxy would each parse the text again on
    // every request.
    target: new URL(options.target),
    agent: options.agent,
    xfwd: true,
    /*
     * None of the default plugins: their logger writes to the console and their error answer is
     * plain text. Nor their crash guards (debugProxyErrorsPlugin): `failures` listens for the proxy's
     * errors, httpxy itself listens for errors of the response and destroys the service's answer when
     * the client goes away, and the guards of WebSocket sockets have nothing to guard here. They
     * added two listeners to every request.
     */
    ejectPlugins: true,
    plugins: [failures],
  });
}
