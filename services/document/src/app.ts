import type { Express } from 'express';
import type { Pool } from '@learner/common/db';
import type { EventConsumer } from '@learner/common/events';
import { jsonBody } from '@learner/common/http';
import { createServiceApp, type ServiceAppDeps } from '@learner/common/service';
import type { LocalStorage, ObjectStorage } from '@learner/common/storage';
import { createDocumentService } from './documents/document-service.js';
import { createDocumentsRouter } from './documents/documents-routes.js';
import { createInternalRouter, MAX_TEXT_BYTES } from './internal/internal-routes.js';
import { createNotesRouter } from './notes/notes-routes.js';
import { createNotesService } from './notes/notes-service.js';
import type { Embedder } from './embeddings/embedder.js';
import type { OcrEngine } from './ocr/ocr-engine.js';
import { createEmbeddingRepository } from './embeddings/embedding-repository.js';
import { createVectorCache } from './embeddings/vector-cache.js';
import { createSearchRepository } from './search/search-repository.js';
import { createSearchRouter } from './search/search-routes.js';
import { createSearchService } from './search/search-service.js';
import { registerUserErasure } from './erasure/user-erasure.js';
import { onDocumentProcessed } from './study-packs/study-pack-events.js';

export interface DocumentAppDeps extends ServiceAppDeps {
  pool: Pool;
  storage: ObjectStorage;
  /** The local folder storage, served at /files; absent with S3. */
  localStorage?: LocalStorage | undefined;
  signingSecret: string;
  maxFileSize: number;
  /** Absent: search ranks by full text only. */
  embedder?: Embedder | undefined;
  /** The OCR engine of the worker, checked on /ready. */
  ocr?: Pick<OcrEngine, 'name' | 'check'> | undefined;
  /** Wakes the processing worker when a document was queued. */
  onQueued?: () => void;
  /** The service's event consumer; its handlers are registered here, the caller starts it. */
  events?: Pick<EventConsumer, 'on'>;
  /** Wakes the study pack worker when a processed document's pack was queued. */
  onStudyPackQueued?: () => void;
}

const PUBLIC_JSON_LIMIT = 1_048_576;

/** How search ranks, said on /ready and in the start-up log. */
export function retrievalDetails(embedder: Embedder | undefined) {
  return embedder
    ? { mode: 'hybrid', embeddings: embedder.endpoint, model: embedder.model, vector_scoring: VECTOR_SCORING }
    : { mode: 'full_text', embeddings: 'none' };
}

/** This service scores vectors itself; the databases it runs on (PostgreSQL 15 here) may lack pgvector. */
export const VECTOR_SCORING = 'in-service cosine over the user\'s passages';

export function createApp(deps: DocumentAppDeps): Express {
  const { embedder, ocr } = deps;
  const documents = createDocumentService({
    pool: deps.pool,
    storage: deps.storage,
    logger: deps.logger,
    ...(deps.onQueued ? { onQueued: deps.onQueued } : {}),
  });

  // A processed document's study pack goes on to its quiz and audio summary.
  if (deps.events) onDocumentProcessed(deps.events, deps.onStudyPackQueued);

  const vectors = embedder ? createVectorCache(createEmbeddingRepository(deps.pool)) : undefined;

  // An erased account's documents, everything made from them, the stored files and the cached vectors go.
  if (deps.events) registerUserErasure(deps.events, deps.storage, vectors);

  const search = createSearchService({
    repository: createSearchRepository(deps.pool),
    embeddings: embedder && vectors ? { embedder, vectors } : undefined,
    logger: deps.logger,
  });

  return createServiceApp({
    ...deps,
    service: 'document',
    jsonLimit: false,
    // Search falls back to full text and processing embeds later; without OCR only scanned pages
    // fail (pages with a text layer still process): down means degraded, not unready.
    optionalChecks: {
      ...deps.optionalChecks,
      ...(embedder ? { embeddings: () => embedder.check() } : {}),
      ...(ocr ? { [ocr.name]: () => ocr.check() } : {}),
    },
    details: () => ({ retrieval: retrievalDetails(embedder) }),
    localFiles: deps.localStorage ? { storage: deps.localStorage, signingSecret: deps.signingSecret } : undefined,
    routes(app, identity) {
      app.use(
        '/api/v1/documents',
        identity,
        jsonBody(PUBLIC_JSON_LIMIT),
        createSearchRouter({ search }),
        createNotesRouter({ notes: createNotesService({ pool: deps.pool, documents }) }),
        createDocumentsRouter({ documents, maxFileSize: deps.maxFileSize }),
      );
      app.use(
        '/internal/v1',
        identity,
        // JSON escaping can make the text's body larger than the text itself.
        jsonBody(MAX_TEXT_BYTES * 2),
        createInternalRouter({ documents, search }),
      );
    },
  });
}
