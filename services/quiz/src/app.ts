import type { Express } from 'express';
import { requireInternalIdentity, type InternalTokens } from '@learner/common/auth';
import type { Pool } from '@learner/common/db';
import type { Check } from '@learner/common/health';
import { createProbeRouter } from '@learner/common/health';
import { createBaseApp, finishApp } from '@learner/common/http';
import type { Logger } from '@learner/common/logger';
import type { Metrics } from '@learner/common/metrics';
import type { DocumentClient } from './documents/document-client.js';
import { createExtractiveWriter, type QuestionWriter } from './generation/question-writer.js';
import { createQuizRouter } from './quizzes/quiz-routes.js';
import { createQuizService } from './quizzes/quiz-service.js';

export interface QuizAppDeps {
  logger: Logger;
  internalTokens: InternalTokens;
  metrics: Metrics;
  checks: Record<string, Check>;
  pool: Pool;
  documents: DocumentClient;
  /** Writes the questions; the extractive generator when not given. */
  writer?: QuestionWriter;
  readyTimeoutMs?: number;
}

export function createApp(deps: QuizAppDeps): Express {
  const app = createBaseApp({ logger: deps.logger, before: [deps.metrics.middleware] });
  app.use(createProbeRouter({ service: 'quiz', checks: deps.checks, timeoutMs: deps.readyTimeoutMs ?? 1000 }));
  app.get('/metrics', deps.metrics.handler);
  const quizzes = createQuizService({
    pool: deps.pool,
    documents: deps.documents,
    writer: deps.writer ?? createExtractiveWriter(),
  });
  app.use('/api/v1', requireInternalIdentity(deps.internalTokens));
  app.use('/api/v1/quizzes', createQuizRouter(quizzes));
  return finishApp(app);
}
