import { Router } from 'express';
import { errorBody } from '../errors/index.js';

export type Check = () => Promise<unknown>;

export interface CheckResult {
  status: 'up' | 'down';
  latency_ms: number;
  error?: string;
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/**
 * A check that another service of the platform answers: its `GET /health` (the process is up; not
 * its /ready, so one service's outage is not repeated by every service that calls it). `baseUrl`
 * may name several replicas separated by commas: one that answers is enough, as callers skip the others.
 */
export function serviceHealthCheck(baseUrl: string, timeoutMs: number): Check {
  const urls = baseUrl
    .split(',')
    .map((url) => url.trim())
    .filter(Boolean)
    .map((url) => new URL('/health', url));
  const one = async (url: URL): Promise<void> => {
    const res = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
    await res.body?.cancel().catch(() => undefined);
    if (!res.ok) throw new Error(`health answered ${res.status}`);
  };
  return () =>
    Promise.any(urls.map(one)).then(
      () => undefined,
      (err: unknown) => {
        throw err instanceof AggregateError ? (err.errors[0] as Error) : err;
      },
    );
}

/** Runs every check at once, each bounded by `timeoutMs`. */
export async function runChecks(checks: Record<string, Check>, timeoutMs: number): Promise<Record<string, CheckResult>> {
  const entries = await Promise.all(
    Object.entries(checks).map(async ([name, check]): Promise<[string, CheckResult]> => {
      const started = performance.now();
      try {
        await withTimeout(Promise.resolve().then(check), timeoutMs);
        return [name, { status: 'up', latency_ms: Math.round(performance.now() - started) }];
      } catch (err) {
        const message = err instanceof Error && err.message ? err.message : 'unavailable';
        return [
          name,
          { status: 'down', latency_ms: Math.round(performance.now() - started), error: message.slice(0, 200) },
        ];
      }
    }),
  );
  return Object.fromEntries(entries);
}

/**
 * `/health`: the process answers. `/ready`: every dependency answers within the timeout; 503 in
 * the error body naming the ones that do not. An `optional` dependency that is down (one the
 * service works around, answering less well) makes it `degraded`, still 200, naming it.
 */
export function createProbeRouter(options: {
  service: string;
  checks: Record<string, Check>;
  optional?: Record<string, Check>;
  /** Facts about the running service shown on /ready, e.g. which adapter it chose. */
  details?: () => Record<string, unknown>;
  timeoutMs?: number;
}): Router {
  const router = Router();
  const timeoutMs = options.timeoutMs ?? 1000;
  router.get('/health', (_req, res) => {
    res.json({ status: 'healthy', service: options.service, timestamp: new Date().toISOString() });
  });
  router.get('/ready', async (req, res) => {
    const [required, optional] = await Promise.all([
      runChecks(options.checks, timeoutMs),
      runChecks(options.optional ?? {}, timeoutMs),
    ]);
    const checks = { ...required, ...optional };
    const namesDown = (results: Record<string, CheckResult>): string[] =>
      Object.entries(results)
        .filter(([, r]) => r.status === 'down')
        .map(([name]) => name);
    const down = namesDown(required);
    const details = options.details?.() ?? {};
    if (down.length === 0) {
      const degraded = namesDown(optional);
      res.json({
        status: degraded.length ? 'degraded' : 'ready',
        service: options.service,
        ...(degraded.length ? { degraded } : {}),
        ...details,
        checks,
        timestamp: new Date().toISOString(),
      });
      return;
    }
    res
      .status(503)
      .json(
        errorBody('ServiceUnavailable', `Not ready: ${down.join(', ')} unavailable`, req.requestId, {
          service: options.service,
          down,
          ...details,
          checks,
        }),
      );
  });
  return router;
}
