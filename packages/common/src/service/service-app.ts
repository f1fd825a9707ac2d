import type { Express, RequestHandler } from 'express';
import { requireInternalIdentity, type InternalTokens } from '../auth/internal.js';
import { createProbeRouter, type Check } from '../health/index.js';
import { z } from 'zod';
import { EVENT_INBOX_PATH } from '../events/peer-bus.js';
import type { OutgoingMessage } from '../events/envelope.js';
import { createBaseApp, finishApp, jsonBody, type TrustProxy } from '../http/app.js';
import { parseInput } from '../http/validation.js';
import type { Logger } from '../logger/index.js';
import type { Metrics } from '../metrics/index.js';
import { createLocalFileRouter, type LocalStorage } from '../storage/index.js';

/** What every service's `createApp(deps)` is given, whatever else it needs. */
export interface ServiceAppDeps {
  logger: Logger;
  internalTokens: InternalTokens;
  metrics: Metrics;
  /** Readiness checks: one down makes /ready 503. */
  checks: Record<string, Check>;
  /** Dependencies the service works around when down: /ready says degraded, still 200, naming them. */
  optionalChecks?: Record<string, Check> | undefined;
  readyTimeoutMs?: number;
  /**
   * Without Kafka, where the events other processes POST to this one go (its in-process bus):
   * served at /internal/v1/events to internal callers only.
   */
  eventInbox?: ((messages: OutgoingMessage[]) => Promise<void>) | undefined;
}

export interface ServiceAppOptions extends ServiceAppDeps {
  service: string;
  /** Facts shown on /ready (which engine, which retrieval). */
  details?: (() => Record<string, unknown>) | undefined;
  /** Parse JSON bodies on every route up to this many bytes (1 MiB by default); false: routes parse their own. */
  jsonLimit?: number | false;
  /** Middleware before any route, after the metrics recorder (the gateway's CORS). */
  before?: RequestHandler[];
  trustProxy?: TrustProxy | undefined;
  /** Files kept in a local folder, served by their signed links at /files. */
  localFiles?: { storage: LocalStorage; signingSecret: string } | undefined;
  /**
   * Mounts the service's own routes. `identity` accepts only calls with a valid internal token
   * (from the gateway or another service) and sets the user they act for.
   */
  routes(app: Express, identity: RequestHandler): void;
}

/**
 * The one shape of every service's app: helmet, request ids and logging, metrics, the service's
 * routes, /files when files are local, /health and /ready, /metrics, then the 404 and error
 * handlers. The probes come after the routes: nearly all requests are the routes', and each
 * layer they pass costs them a path match.
 */
export function createServiceApp(options: ServiceAppOptions): Express {
  const app = createBaseApp({
    logger: options.logger,
    before: [options.metrics.middleware, ...(options.before ?? [])],
    ...(options.jsonLimit === undefined ? {} : { jsonLimit: options.jsonLimit }),
    ...(options.trustProxy === undefined ? {} : { trustProxy: options.trustProxy }),
  });
  if (options.eventInbox) app.post(EVENT_INBOX_PATH, requireInternalIdentity(options.internalTokens), createEventInbox(options.eventInbox));
  options.routes(app, requireInternalIdentity(options.internalTokens));
  if (options.localFiles) app.use('/files', createLocalFileRouter(options.localFiles.storage, options.localFiles.signingSecret));
  app.use(
    createProbeRouter({
      service: options.service,
      checks: options.checks,
      ...(options.optionalChecks ? { optional: options.optionalChecks } : {}),
      ...(options.details ? { details: options.details } : {}),
      timeoutMs: options.readyTimeoutMs ?? 1000,
    }),
  );
  app.get('/metrics', options.metrics.handler);
  return finishApp(app);
}

const inboxBody = z.object({
  messages: z.array(
    z.object({
      topic: z.string().min(1),
      key: z.string(),
      event: z.looseObject({
        event_id: z.string().min(1),
        event_type: z.string().min(1),
        timestamp: z.string(),
        user_id: z.string(),
        service: z.string(),
        version: z.string(),
        payload: z.record(z.string(), z.unknown()),
      }),
    }),
  ),
});

/** Takes another process's events into this one's in-process bus; answers once its handlers ran. */
function createEventInbox(deliver: (messages: OutgoingMessage[]) => Promise<void>): RequestHandler[] {
  return [
    jsonBody(5 * 1024 * 1024),
    async (req, res) => {
      const { messages } = parseInput(inboxBody, req.body, 'events');
      await deliver(messages);
      res.status(204).end();
    },
  ];
}
