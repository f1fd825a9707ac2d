import type { Express } from 'express';
import { requireInternalIdentity, type InternalTokens } from '@learner/common/auth';
import type { Check } from '@learner/common/health';
import { createProbeRouter } from '@learner/common/health';
import { createBaseApp, finishApp } from '@learner/common/http';
import type { Logger } from '@learner/common/logger';
import type { Metrics } from '@learner/common/metrics';
import { createLocalFileRouter, type LocalStorage } from '@learner/common/storage';
import type { SpeechService } from './audio/speech-service.js';
import { createTtsRouter } from './audio/tts.routes.js';

export interface TtsAppDeps {
  logger: Logger;
  internalTokens: InternalTokens;
  metrics: Metrics;
  checks: Record<string, Check>;
  /** Dependencies the service works around when down (the neural voice): /ready says degraded. */
  optionalChecks?: Record<string, Check>;
  /** Which engine and voices speak, shown on /ready. */
  details?: () => Record<string, unknown>;
  speech: SpeechService;
  /** Set when audio is kept in a local folder: its signed links are served at /files. */
  localFiles?: { storage: LocalStorage; signingSecret: string };
  readyTimeoutMs?: number;
}

export function createApp(deps: TtsAppDeps): Express {
  const app = createBaseApp({ logger: deps.logger, before: [deps.metrics.middleware] });
  app.use(
    createProbeRouter({
      service: 'tts',
      checks: deps.checks,
      ...(deps.optionalChecks ? { optional: deps.optionalChecks } : {}),
      ...(deps.details ? { details: deps.details } : {}),
      timeoutMs: deps.readyTimeoutMs ?? 1000,
    }),
  );
  app.get('/metrics', deps.metrics.handler);
  if (deps.localFiles) app.use('/files', createLocalFileRouter(deps.localFiles.storage, deps.localFiles.signingSecret));
  app.use('/api/v1', requireInternalIdentity(deps.internalTokens));
  app.use('/api/v1/tts', createTtsRouter(deps.speech));
  return finishApp(app);
}
