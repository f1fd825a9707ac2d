import type { Agent, ClientRequest } from 'node:http';
import type { Request, RequestHandler, Response } from 'express';
import vary from 'vary';
import { createProxyMiddleware, debugProxyErrorsPlugin, type Plugin } from 'http-proxy-middleware';
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

/**
 * Streams the request to one service and its answer back unchanged: status, headers and body bytes
 * (the gateway never parses proxied bodies). A refused connection answers 503, silence for
 * `timeoutMs` answers 504, both in the error body.
 */
export function createServiceProxy(options: {
  service: string;
  target: string;
  timeoutMs: number;
  agent: Agent;
}): RequestHandler {
  const { service, timeoutMs } = options;
  const failures: Plugin = (proxyServer) => {
    proxyServer.on('proxyReq', (proxyReq: ClientRequest) => {
      proxyReq.setTimeout(timeoutMs, () => {
        proxyReq.destroy(Object.assign(new Error(`no answer within ${timeoutMs} ms`), { code: UPSTREAM_TIMEOUT }));
      });
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
        answerFailure(req as Request, res as Response, upstreamFailure(service, err as NodeJS.ErrnoException, req as Request));
      }
    });
  };
  return createProxyMiddleware({
    target: options.target,
    agent: options.agent,
    xfwd: true,
    // Only the crash guards of the defaults; their logger writes to the console and their error
    // answer is plain text.
    ejectPlugins: true,
    plugins: [debugProxyErrorsPlugin, failures],
  });
}
