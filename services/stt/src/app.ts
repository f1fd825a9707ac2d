import type { Express } from 'express';
import { requireInternalIdentity, type InternalTokens } from '@learner/common/auth';
import type { Check } from '@learner/common/health';
import { createProbeRouter } from '@learner/common/health';
import { createBaseApp, finishApp } from '@learner/common/http';
import type { Logger } from '@learner/common/logger';
import type { Metrics } from '@learner/common/metrics';
import { createLocalFileRouter, type LocalStorage } from '@learner/common/storage';
import type { DocumentClient } from './documents/document-client.js';
import { createTranscriptDocumentRouter } from './documents/document.routes.js';
import type { PracticeService } from './practice/practice-service.js';
import { createPracticeRouter } from './practice/practice.routes.js';
import { createSttRouter } from './transcriptions/stt.routes.js';
import type { TranscriptionService } from './transcriptions/transcription-service.js';

export interface SttAppDeps {
  logger: Logger;
  internalTokens: InternalTokens;
  metrics: Metrics;
  checks: Record<string, Check>;
  transcriptions: TranscriptionService;
  /** Read-aloud practice: recordings scored against the text that was read. */
  practice: PracticeService;
  /** The document service, where transcripts are saved as documents. */
  documents: DocumentClient;
  maxFileSize: number;
  /** Set when audio is kept in a local folder: its signed links are served at /files. */
  localFiles?: { storage: LocalStorage; signingSecret: string };
  readyTimeoutMs?: number;
}

export function createApp(deps: SttAppDeps): Express {
  const app = createBaseApp({ logger: deps.logger, before: [deps.metrics.middleware] });
  app.use(createProbeRouter({ service: 'stt', checks: deps.checks, timeoutMs: deps.readyTimeoutMs ?? 1000 }));
  app.get('/metrics', deps.metrics.handler);
  if (deps.localFiles) app.use('/files', createLocalFileRouter(deps.localFiles.storage, deps.localFiles.signingSecret));
  app.use('/api/v1', requireInternalIdentity(deps.internalTokens));
  app.use('/api/v1/stt', createSttRouter({ transcriptions: deps.transcriptions, maxFileSize: deps.maxFileSize }));
  app.use('/api/v1/stt', createTranscriptDocumentRouter({ transcriptions: deps.transcriptions, documents: deps.documents }));
  app.use('/api/v1/stt', createPracticeRouter({ practice: deps.practice, maxFileSize: deps.maxFileSize }));
  return finishApp(app);
}
