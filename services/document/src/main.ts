import { exitOnConfigError } from '@learner/common/config';
import { closeServer, listen, onShutdown } from '@learner/common/http';
import { llmClientFromEnv } from '@learner/common/llm';
import { startPlatform } from '@learner/common/service';
import { awsCredentials, createStorageFromEnv } from '@learner/common/storage';
import { createApp, retrievalDetails } from './app.js';
import { loadConfig, ocrEngineOf } from './config.js';
import { createEmbeddingBackfill } from './embeddings/embedding-backfill.js';
import { embedderFromConfig } from './embeddings/embedder-from-config.js';
import { createPassageIndexer } from './embeddings/passage-indexer.js';
import type { OcrEngine } from './ocr/ocr-engine.js';
import { createExtractiveNotes } from './notes/extractive-notes.js';
import { createLlmNotes } from './notes/llm-notes.js';
import { createTesseractOcr } from './ocr/tesseract-ocr.js';
import { createTextractClient, createTextractOcr } from './ocr/textract-ocr.js';
import { createProcessingWorker } from './processing/processing-worker.js';
import { createTextExtractor } from './processing/text-extractor.js';
import { createStudyPackClients } from './study-packs/study-pack-clients.js';
import { createStudyPackWorker } from './study-packs/study-pack-worker.js';

const config = exitOnConfigError(() => loadConfig(process.env));
const platform = await startPlatform({ service: 'document', database: 'document', config, fromDir: import.meta.dirname });
const { storage, local, signingSecret } = createStorageFromEnv(
  config,
  'document',
  config.INTERNAL_TOKEN_SECRET,
  platform.logger,
);

const ocr: OcrEngine =
  ocrEngineOf(config) === 'textract'
    ? createTextractOcr({
        client: createTextractClient({
          region: config.AWS_REGION,
          endpoint: config.AWS_ENDPOINT_URL,
          credentials: awsCredentials(config),
        }),
        // Multi-page scans go to Textract's asynchronous API straight from the bucket.
        bucket: storage.kind === 's3' ? config.S3_BUCKET : undefined,
        pollMs: config.TEXTRACT_POLL_MS,
        timeoutMs: config.OCR_TIMEOUT_MS,
      })
    : createTesseractOcr({ lang: config.TESSERACT_LANG, timeoutMs: config.OCR_TIMEOUT_MS });
platform.logger.info({ ocr: ocr.name }, 'OCR engine');
const llm = llmClientFromEnv(config);
const notes = llm ? createLlmNotes({ client: llm, fallback: createExtractiveNotes(), logger: platform.logger }) : createExtractiveNotes();
platform.logger.info({ notes: llm ? 'llm + extractive' : 'extractive' }, 'notes generator');
const embedder = embedderFromConfig(config);
platform.logger.info(retrievalDetails(embedder), `search: ${embedder ? `hybrid (full text + vectors of ${embedder.model}, scored in the service, no pgvector)` : 'full text only (no EMBEDDINGS_BASE_URL)'}`);
const indexer = embedder
  ? createPassageIndexer({ pool: platform.pool, embedder, logger: platform.logger, batchSize: config.EMBEDDINGS_BATCH_SIZE })
  : undefined;
const backfill = indexer
  ? createEmbeddingBackfill({ indexer, logger: platform.logger, batchSize: config.EMBEDDINGS_BATCH_SIZE, intervalMs: config.EMBEDDINGS_BACKFILL_INTERVAL_MS })
  : undefined;
const worker = createProcessingWorker({
  pool: platform.pool,
  storage,
  extractor: createTextExtractor({ ocr, pdfTimeoutMs: config.PDF_TIMEOUT_MS }),
  notes,
  logger: platform.logger,
  concurrency: config.PROCESSING_CONCURRENCY,
  pollMs: config.PROCESSING_POLL_MS,
  leaseMs: config.PROCESSING_LEASE_MS,
  maxAttempts: config.PROCESSING_MAX_ATTEMPTS,
  embeddings: indexer,
});

const studyPacks = createStudyPackWorker({
  pool: platform.pool,
  clients: createStudyPackClients({
    quizUrl: config.QUIZ_SERVICE_URL,
    ttsUrl: config.TTS_SERVICE_URL,
    internalTokens: platform.internalTokens,
    timeoutMs: config.STUDY_PACK_TIMEOUT_MS,
  }),
  logger: platform.logger,
  pollMs: config.STUDY_PACK_POLL_MS,
});

const app = createApp({
  ...platform,
  checks: { ...platform.checks, storage: () => storage.check() },
  storage,
  localStorage: local,
  signingSecret,
  maxFileSize: config.MAX_FILE_SIZE,
  embedder,
  ocr,
  onQueued: () => worker.wake(),
  onStudyPackQueued: () => studyPacks.wake(),
  readyTimeoutMs: config.READY_TIMEOUT_MS,
});
// Handlers were registered by createApp.
await platform.events.start();
const server = await listen(app, config.PORT);
worker.start();
studyPacks.start();
backfill?.start();
platform.logger.info({ port: config.PORT }, 'document service listening');

onShutdown(platform.logger, async () => {
  await closeServer(server);
  await worker.stop();
  await studyPacks.stop();
  await backfill?.stop();
  await platform.close();
});
