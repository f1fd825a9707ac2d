import type { Express } from 'express';
import { requireInternalIdentity, type InternalTokens } from '@learner/common/auth';
import type { Pool } from '@learner/common/db';
import type { Check } from '@learner/common/health';
import { createProbeRouter } from '@learner/common/health';
import { createBaseApp, finishApp } from '@learner/common/http';
import type { Logger } from '@learner/common/logger';
import type { Metrics } from '@learner/common/metrics';
import { createChatRouter } from './chat-router.js';
import { createChatService } from './chat-service.js';
import type { DocumentLookup } from './documents/document-client.js';
import type { Tutor } from './tutor/tutor.js';

export interface ChatAppDeps {
  logger: Logger;
  pool: Pool;
  tutor: Tutor;
  /** Checks the documents a new session focuses on. */
  documents: DocumentLookup;
  internalTokens: InternalTokens;
  metrics: Metrics;
  checks: Record<string, Check>;
  readyTimeoutMs?: number;
}

export function createApp(deps: ChatAppDeps): Express {
  const app = createBaseApp({ logger: deps.logger, before: [deps.metrics.middleware] });
  app.use(createProbeRouter({ service: 'chat', checks: deps.checks, timeoutMs: deps.readyTimeoutMs ?? 1000 }));
  app.get('/metrics', deps.metrics.handler);
  app.use('/api/v1', requireInternalIdentity(deps.internalTokens));
  app.use('/api/v1/chat', createChatRouter(createChatService({ pool: deps.pool, tutor: deps.tutor, documents: deps.documents, logger: deps.logger })));
  return finishApp(app);
}
