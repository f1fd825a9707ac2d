import type { InternalTokens } from '@learner/common/auth';
import type { Pool } from '@learner/common/db';
import { serviceHealthCheck, type Check } from '@learner/common/health';
import { llmClientFromEnv, type LlmClient } from '@learner/common/llm';
import type { Logger } from '@learner/common/logger';
import { awsCredentials, type ObjectStorage } from '@learner/common/storage';
import type { DocumentAppDeps } from './app.js';
import { ocrEngineOf, type DocumentConfig } from './config.js';
import { createEmbeddingBackfill, type EmbeddingBackfill } from './embeddings/embedding-backfill.js';
import { embedderFromConfig } from './embeddings/embedder-from-config.js';
import type { Embedder } from './embeddings/embedder.js';
import { createPassageIndexer } from './embeddings/passage-indexer.js';
import { createExtractiveNotes } from './notes/extractive-notes.js';
import { createLlmNotes } from './notes/llm-notes.js';
import type { NotesGenerator } from './notes/notes-generator.js';
import type { OcrEngine } from './ocr/ocr-engine.js';
import { createTesseractOcr } from './ocr/tesseract-ocr.js';
import { createTextractClient, createTextractOcr } from './ocr/textract-ocr.js';
import { createProcessingWorker, type ProcessingWorker, type ProcessingWorkerOptions } from './processing/processing-worker.js';
import { createTextExtractor } from './processing/text-extractor.js';
import { createStudyPackClients } from './study-packs/study-pack-clients.js';
import { createStudyPackWorker, type StudyPackWorkerOptions } from './study-packs/study-pack-worker.js';

export interface DocumentDependencies {
  ocr: OcrEngine;
  /** Absent: search ranks by full text only. */
  embedder?: Embedder;
  /** Absent when built without processing. */
  worker?: ProcessingWorker;
  /** Absent when built without study packs. */
  studyPacks?: ReturnType<typeof createStudyPackWorker>;
  /** Running once started when embeddings are configured. */
  backfill?: EmbeddingBackfill;
  /** What createApp takes of them. */
  app: Pick<DocumentAppDeps, 'embedder' | 'ocr' | 'onQueued' | 'onStudyPackQueued' | 'optionalChecks'>;
  /** The service's own readiness checks, beside the platform's. */
  checks: Record<string, Check>;
  /** Starts the workers (once the service listens). */
  start(): void;
  stop(): Promise<void>;
}

/**
 * Builds the document service from its configuration and the connections it is given: the one
 * place main.ts, the tests and the benchmarks get it from. The parts given replace the
 * configured ones; `false` leaves one out (no notes, full-text search only, no processing worker,
 * no study packs).
 */
export function createDocumentDependencies(options: {
  config: DocumentConfig;
  pool: Pool;
  storage: ObjectStorage;
  /** Signs this service's calls to the quiz and tts services (study packs). */
  internalTokens: InternalTokens;
  logger: Logger;
  ocr?: OcrEngine;
  notes?: NotesGenerator | false;
  embedder?: Embedder | false;
  /** Worker settings beyond the configuration's. */
  processing?: false | Partial<Pick<ProcessingWorkerOptions, 'leaseMs' | 'pollMs' | 'maxAttempts' | 'concurrency' | 'writeBatch'>>;
  studyPacks?: false | Partial<Pick<StudyPackWorkerOptions, 'retryDelayMs' | 'maxAttempts' | 'quizQuestions'>>;
}): DocumentDependencies {
  const { config, pool, storage, logger } = options;
  const ocr =
    options.ocr ??
    (ocrEngineOf(config) === 'textract'
      ? createTextractOcr({
          client: createTextractClient({ region: config.AWS_REGION, endpoint: config.AWS_ENDPOINT_URL, credentials: awsCredentials(config) }),
          // Multi-page scans go to Textract's asynchronous API straight from the bucket.
          bucket: storage.kind === 's3' ? config.S3_BUCKET : undefined,
          pollMs: config.TEXTRACT_POLL_MS,
          timeoutMs: config.OCR_TIMEOUT_MS,
        })
      : createTesseractOcr({ lang: config.TESSERACT_LANG, timeoutMs: config.OCR_TIMEOUT_MS }));
  logger.info({ ocr: ocr.name }, 'OCR engine');

  let notes: NotesGenerator | undefined;
  let llm: LlmClient | undefined;
  if (options.notes !== undefined) notes = options.notes || undefined;
  else {
    llm = llmClientFromEnv(config);
    notes = llm ? createLlmNotes({ client: llm, fallback: createExtractiveNotes(), logger }) : createExtractiveNotes();
    logger.info({ notes: llm ? 'llm + extractive' : 'extractive' }, 'notes generator');
  }

  const embedder = options.embedder === undefined ? embedderFromConfig(config) : options.embedder || undefined;
  const indexer = embedder ? createPassageIndexer({ pool, embedder, logger, batchSize: config.EMBEDDINGS_BATCH_SIZE }) : undefined;
  const backfill = indexer
    ? createEmbeddingBackfill({ indexer, logger, batchSize: config.EMBEDDINGS_BATCH_SIZE, intervalMs: config.EMBEDDINGS_BACKFILL_INTERVAL_MS })
    : undefined;

  const worker =
    options.processing === false
      ? undefined
      : createProcessingWorker({
          pool,
          storage,
          extractor: createTextExtractor({ ocr, pdfTimeoutMs: config.PDF_TIMEOUT_MS }),
          ...(notes ? { notes } : {}),
          logger,
          concurrency: config.PROCESSING_CONCURRENCY,
          pollMs: config.PROCESSING_POLL_MS,
          leaseMs: config.PROCESSING_LEASE_MS,
          maxAttempts: config.PROCESSING_MAX_ATTEMPTS,
          embeddings: indexer,
          ...options.processing,
        });

  const studyPacks =
    options.studyPacks === false
      ? undefined
      : createStudyPackWorker({
          pool,
          clients: createStudyPackClients({
            quizUrl: config.QUIZ_SERVICE_URL,
            ttsUrl: config.TTS_SERVICE_URL,
            internalTokens: options.internalTokens,
            timeoutMs: config.STUDY_PACK_TIMEOUT_MS,
          }),
          logger,
          pollMs: config.STUDY_PACK_POLL_MS,
          ...options.studyPacks,
        });

  return {
    ocr,
    ...(embedder ? { embedder } : {}),
    ...(worker ? { worker } : {}),
    ...(studyPacks ? { studyPacks } : {}),
    ...(backfill ? { backfill } : {}),
    app: {
      embedder,
      ocr,
      ...(worker ? { onQueued: () => worker.wake() } : {}),
      ...(studyPacks ? { onStudyPackQueued: () => studyPacks.wake() } : {}),
      // Degraded, not unready, when down: notes fall back to the extractive ones, and a study
      // pack's quiz or audio step waits and tries again.
      optionalChecks: {
        ...(llm ? { llm: () => llm.check() } : {}),
        ...(studyPacks
          ? {
              quiz_service: serviceHealthCheck(config.QUIZ_SERVICE_URL, config.READY_TIMEOUT_MS),
              tts_service: serviceHealthCheck(config.TTS_SERVICE_URL, config.READY_TIMEOUT_MS),
            }
          : {}),
      },
    },
    checks: { storage: () => storage.check() },
    start() {
      worker?.start();
      studyPacks?.start();
      backfill?.start();
    },
    async stop() {
      await worker?.stop();
      await studyPacks?.stop();
      await backfill?.stop();
    },
  };
}
