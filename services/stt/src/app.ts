import type { Express } from 'express';
import type { EventConsumer } from '@learner/common/events';
import { createServiceApp, type ServiceAppDeps } from '@learner/common/service';
import type { LocalStorage } from '@learner/common/storage';
import type { DocumentClient } from './documents/document-client.js';
import { registerUserErasure, type SttErasureDeps } from './erasure/user-erasure.js';
import { createDocumentsRouter } from './documents/documents-routes.js';
import { createDocumentsService } from './documents/documents-service.js';
import type { PracticeService } from './practice/practice-service.js';
import { createPracticeRouter } from './practice/practice-routes.js';
import { onTranscriptionCompleted } from './study-packs/study-pack-events.js';
import { createTranscriptionsRouter } from './transcriptions/transcriptions-routes.js';
import type { TranscriptionService } from './transcriptions/transcription-service.js';

export interface SttAppDeps extends ServiceAppDeps {
  transcriptions: TranscriptionService;
  /** Read-aloud practice: recordings scored against the text that was read. */
  practice: PracticeService;
  /** The document service, where transcripts are saved as documents. */
  documents: DocumentClient;
  maxFileSize: number;
  /** Set when audio is kept in a local folder: its signed links are served at /files. */
  localFiles?: { storage: LocalStorage; signingSecret: string };
  /** The service's event consumer, storage and recognizer: an erased account's recordings are removed. */
  erasure?: SttErasureDeps & { events: Pick<EventConsumer, 'on'> };
  /** The service's event consumer, where the study pack's handler is registered; the caller starts it. */
  events?: Pick<EventConsumer, 'on'>;
}

export function createApp(deps: SttAppDeps): Express {
  if (deps.erasure) registerUserErasure(deps.erasure.events, deps.erasure);
  // A study pack's transcript becomes a document once transcribed.
  if (deps.events) onTranscriptionCompleted(deps.events, deps.documents, deps.logger);
  return createServiceApp({
    ...deps,
    service: 'stt',
    routes(app, identity) {
      app.use('/api/v1', identity);
      app.use('/api/v1/stt', createTranscriptionsRouter({ transcriptions: deps.transcriptions, maxFileSize: deps.maxFileSize, documents: deps.documents }));
      app.use('/api/v1/stt', createDocumentsRouter({ documents: createDocumentsService({ transcriptions: deps.transcriptions, documents: deps.documents }) }));
      app.use('/api/v1/stt', createPracticeRouter({ practice: deps.practice, maxFileSize: deps.maxFileSize }));
    },
  });
}
