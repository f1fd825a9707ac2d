import cluster from 'node:cluster';
import type { RequestHandler } from 'express';
import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { clusterMetricsClient } from './cluster.js';

export { serveClusterMetrics } from './cluster.js';

export interface Metrics {
  registry: Registry;
  /** Records count and latency per method, route pattern and status. */
  middleware: RequestHandler;
  handler: RequestHandler;
}

export function createMetrics(options: {
  service: string;
  collectDefaults?: boolean;
  /** In a process forked by node:cluster, /metrics reports every such process (the primary must call serveClusterMetrics). */
  clusterWide?: boolean;
}): Metrics {
  const registry = new Registry();
  registry.setDefaultLabels({ service: options.service });
  if (options.collectDefaults !== false) collectDefaultMetrics({ register: registry });
  const requests = new Counter({
    name: 'http_requests_total',
    help: 'HTTP requests answered',
    labelNames: ['method', 'route', 'status'],
    registers: [registry],
  });
  const latency = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP request latency',
    labelNames: ['method', 'route', 'status'],
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [registry],
  });

  const middleware: RequestHandler = (req, res, next) => {
    const started = performance.now();
    res.on('finish', () => {
      // The route pattern, not the raw path, keeps label cardinality bounded.
      const routePath: unknown = (req.route as { path?: unknown } | undefined)?.path;
      const route =
        typeof routePath === 'string' ? `${req.baseUrl}${routePath}` : (res.locals.metricsRoute as string | undefined) ?? 'unmatched';
      const labels = { method: req.method, route, status: String(res.statusCode) };
      requests.inc(labels);
      latency.observe(labels, (performance.now() - started) / 1000);
    });
    next();
  };

  const clusterMetrics = options.clusterWide && cluster.isWorker ? clusterMetricsClient(registry) : undefined;
  const handler: RequestHandler = async (_req, res) => {
    const text = clusterMetrics ? await clusterMetrics() : await registry.metrics();
    res.setHeader('Content-Type', registry.contentType);
    res.end(text);
  };

  return { registry, middleware, handler };
}
