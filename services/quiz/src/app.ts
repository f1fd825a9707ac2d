import type { Express } from 'express';
import { requireInternalIdentity, type InternalTokens } from '@learner/common/auth';
import type { Check } from '@learner/common/health';
import { createProbeRouter } from '@learner/common/health';
import { createBaseApp, finishApp } from '@learner/common/http';
import type { Logger } from '@learner/common/logger';
import type { Metrics } from '@learner/common/metrics';

export interface QuizAppDeps {
  logger: Logger;
  internalTokens: InternalTokens;
  metrics: Metrics;
  checks: Record<string, Check>;
  readyTimeoutMs?: number;
}

export function createApp(deps: QuizAppDeps): Express {
  const app = createBaseApp({ logger: deps.logger, before: [deps.metrics.middleware] });
  app.use(createProbeRouter({ service: 'quiz', checks: deps.checks, timeoutMs: deps.readyTimeoutMs ?? 1000 }));
  app.get('/metrics', deps.metrics.handler);
  app.use('/api/v1', requireInternalIdentity(deps.internalTokens));
  return finishApp(app);
}
