import { availableParallelism } from 'node:os';
import { TranscribeClient } from '@aws-sdk/client-transcribe';
import type { InternalTokens } from '@learner/common/auth';
import type { Pool } from '@learner/common/db';
import { serviceHealthCheck, type Check } from '@learner/common/health';
import type { Logger } from '@learner/common/logger';
import { findExecutable } from '@learner/common/process';
import { awsClientConfig, awsConfigured, type ObjectStorage } from '@learner/common/storage';
import type { SttConfig } from './config.js';
import { createDocumentClient, type DocumentClient } from './documents/document-client.js';
import { createPracticeService, type PracticeService } from './practice/practice-service.js';
import { createPocketsphinxRecognizer } from './recognizers/pocketsphinx-recognizer.js';
import type { Recognizer } from './recognizers/recognizer.js';
import { createTranscribeRecognizer } from './recognizers/transcribe-recognizer.js';
import { createTranscriptionService, type TranscriptionService } from './transcriptions/transcription-service.js';
import { createTranscriptionWorker, type TranscriptionWorker } from './transcriptions/transcription-worker.js';

/** The settings that choose and run a recogniser. */
export type RecognizerConfig = Pick<
  SttConfig,
  | 'AWS_REGION'
  | 'AWS_ENDPOINT_URL'
  | 'AWS_ACCESS_KEY_ID'
  | 'AWS_SECRET_ACCESS_KEY'
  | 'AWS_SESSION_TOKEN'
  | 'S3_BUCKET'
  | 'TRANSCRIBE_POLL_MS'
  | 'FFMPEG_PATH'
  | 'POCKETSPHINX_PATH'
  | 'POCKETSPHINX_MODEL_DIR'
  | 'TRANSCRIPTION_TIMEOUT_MS'
>;

export interface ConfiguredRecognizers {
  /** Transcribes uploads in the background. */
  recognizer: Recognizer;
  /** Scores read-aloud recordings while the learner waits. */
  practiceRecognizer: Recognizer;
}

/**
 * Amazon Transcribe when AWS and an S3 bucket are configured (Transcribe reads the audio from S3
 * and writes its transcript there); else pocketsphinx on this machine.
 */
export async function createConfiguredRecognizers(config: RecognizerConfig, storage: ObjectStorage, logger?: Logger): Promise<ConfiguredRecognizers> {
  if (awsConfigured(config) && config.S3_BUCKET !== undefined) {
    const transcribe = (pollMs: number) =>
      createTranscribeRecognizer({
        client: new TranscribeClient({ ...awsClientConfig(config), maxAttempts: 3 }),
        storage,
        bucket: config.S3_BUCKET!,
        pollMs,
      });
    // The learner waits for the score: Transcribe is asked about the job every second, not every five.
    return { recognizer: transcribe(config.TRANSCRIBE_POLL_MS), practiceRecognizer: transcribe(Math.min(config.TRANSCRIBE_POLL_MS, 1_000)) };
  }
  if (awsConfigured(config)) logger?.warn('AWS is configured but S3_BUCKET is not: using the local recognizer');
  const [ffmpegPath, pocketsphinxPath] = await Promise.all([findExecutable(config.FFMPEG_PATH), findExecutable(config.POCKETSPHINX_PATH)]);
  if (!ffmpegPath || !pocketsphinxPath) logger?.warn({ ffmpegPath, pocketsphinxPath }, 'ffmpeg or pocketsphinx is missing');
  const recognizer = createPocketsphinxRecognizer({
    storage,
    ffmpegPath: ffmpegPath ?? config.FFMPEG_PATH,
    pocketsphinxPath: pocketsphinxPath ?? config.POCKETSPHINX_PATH,
    modelDir: config.POCKETSPHINX_MODEL_DIR,
    timeoutMs: config.TRANSCRIPTION_TIMEOUT_MS,
  });
  return { recognizer, practiceRecognizer: recognizer };
}

export type SttDependencyConfig = RecognizerConfig &
  Pick<
    SttConfig,
    | 'WORKER_POLL_MS'
    | 'JOB_LEASE_SECONDS'
    | 'JOB_MAX_ATTEMPTS'
    | 'WORKER_CONCURRENCY'
    | 'DOCUMENT_SERVICE_URL'
    | 'DOCUMENT_SERVICE_TIMEOUT_MS'
    | 'READY_TIMEOUT_MS'
    | 'PRACTICE_CONCURRENCY'
    | 'PRACTICE_QUEUE'
    | 'PRACTICE_TIMEOUT_MS'
  >;

export interface SttDependencies {
  recognizer: Recognizer;
  /** Not started: the caller starts it once the service listens. */
  worker: TranscriptionWorker;
  transcriptions: TranscriptionService;
  practice: PracticeService;
  documents: DocumentClient;
  /** The service's own readiness checks, beside the platform's. */
  checks: Record<string, Check>;
  /**
   * For /ready, degraded when down: the document service (saving a transcript as a document and
   * practising on a document's passage wait for it; transcribing goes on).
   */
  optionalChecks: Record<string, Check>;
}

/**
 * Builds the stt service from its configuration and the connections it is given: the one place
 * main.ts, the tests and the benchmarks get it from. `recognizer` replaces the configured one
 * (the emulated Transcribe, or one that fails, in tests).
 */
export async function createSttDependencies(options: {
  config: SttDependencyConfig;
  pool: Pool;
  storage: ObjectStorage;
  /** Signs this service's calls to the document service. */
  internalTokens: InternalTokens;
  logger?: Logger;
  recognizer?: Recognizer;
}): Promise<SttDependencies> {
  const { config, pool, storage, logger } = options;
  const { recognizer, practiceRecognizer } = options.recognizer
    ? { recognizer: options.recognizer, practiceRecognizer: options.recognizer }
    : await createConfiguredRecognizers(config, storage, logger);
  logger?.info({ engine: recognizer.name }, 'speech recognition engine');
  const worker = createTranscriptionWorker({
    pool,
    recognizer,
    ...(logger ? { logger } : {}),
    pollMs: config.WORKER_POLL_MS,
    leaseMs: config.JOB_LEASE_SECONDS * 1000,
    maxAttempts: config.JOB_MAX_ATTEMPTS,
    concurrency: config.WORKER_CONCURRENCY,
  });
  const transcriptions = createTranscriptionService({ pool, storage, recognizer, ...(logger ? { logger } : {}), onQueued: () => worker.wake() });
  const documents = createDocumentClient({
    baseUrl: config.DOCUMENT_SERVICE_URL,
    internalTokens: options.internalTokens,
    timeoutMs: config.DOCUMENT_SERVICE_TIMEOUT_MS,
  });
  const practice = createPracticeService({
    storage,
    recognizer: practiceRecognizer,
    documents,
    ...(logger ? { logger } : {}),
    limits: { concurrency: config.PRACTICE_CONCURRENCY || availableParallelism(), queue: config.PRACTICE_QUEUE },
    timeoutMs: config.PRACTICE_TIMEOUT_MS,
  });
  return {
    recognizer,
    worker,
    transcriptions,
    practice,
    documents,
    checks: { storage: () => storage.check(), recognizer: () => recognizer.check() },
    optionalChecks: { document_service: serviceHealthCheck(config.DOCUMENT_SERVICE_URL, config.READY_TIMEOUT_MS) },
  };
}
