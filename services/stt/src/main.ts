import { exitOnConfigError } from '@learner/common/config';
import { closeServer, listen, onShutdown } from '@learner/common/http';
import { findExecutable } from '@learner/common/process';
import { startPlatform } from '@learner/common/service';
import { TranscribeClient } from '@aws-sdk/client-transcribe';
import { awsClientConfig, awsConfigured, createStorageFromEnv } from '@learner/common/storage';
import { createApp } from './app.js';
import { availableParallelism } from 'node:os';
import { createDocumentClient } from './documents/document-client.js';
import { createPracticeService } from './practice/practice-service.js';
import { loadConfig } from './config.js';
import { createPocketsphinxRecognizer } from './recognizers/pocketsphinx-recognizer.js';
import type { Recognizer } from './recognizers/recognizer.js';
import { createTranscribeRecognizer } from './recognizers/transcribe-recognizer.js';
import { createTranscriptionService } from './transcriptions/transcription-service.js';
import { createTranscriptionWorker } from './transcriptions/transcription-worker.js';

const config = exitOnConfigError(() => loadConfig(process.env));
const platform = await startPlatform({ service: 'stt', database: 'stt', config, fromDir: import.meta.dirname });
const { logger } = platform;
const { storage, local, signingSecret } = createStorageFromEnv(config, 'stt', config.INTERNAL_TOKEN_SECRET, logger);

async function localRecognizer(): Promise<Recognizer> {
  const [ffmpegPath, pocketsphinxPath] = await Promise.all([
    findExecutable(config.FFMPEG_PATH),
    findExecutable(config.POCKETSPHINX_PATH),
  ]);
  if (!ffmpegPath || !pocketsphinxPath) logger.warn({ ffmpegPath, pocketsphinxPath }, 'ffmpeg or pocketsphinx is missing');
  return createPocketsphinxRecognizer({
    storage,
    ffmpegPath: ffmpegPath ?? config.FFMPEG_PATH,
    pocketsphinxPath: pocketsphinxPath ?? config.POCKETSPHINX_PATH,
    modelDir: config.POCKETSPHINX_MODEL_DIR,
    timeoutMs: config.TRANSCRIPTION_TIMEOUT_MS,
  });
}

// Transcribe reads the audio from S3 and writes its transcript there, so it needs the S3 storage.
const useTranscribe = awsConfigured(config) && config.S3_BUCKET !== undefined;
if (awsConfigured(config) && !useTranscribe) logger.warn('AWS is configured but S3_BUCKET is not: using the local recognizer');
const recognizer: Recognizer = useTranscribe
  ? createTranscribeRecognizer({
      client: new TranscribeClient({ ...awsClientConfig(config), maxAttempts: 3 }),
      storage,
      bucket: config.S3_BUCKET!,
      pollMs: config.TRANSCRIBE_POLL_MS,
    })
  : await localRecognizer();
logger.info({ engine: recognizer.name }, 'speech recognition engine');

const worker = createTranscriptionWorker({
  pool: platform.pool,
  recognizer,
  logger,
  pollMs: config.WORKER_POLL_MS,
  leaseMs: config.JOB_LEASE_SECONDS * 1000,
  maxAttempts: config.JOB_MAX_ATTEMPTS,
  concurrency: config.WORKER_CONCURRENCY,
});
const transcriptions = createTranscriptionService({ pool: platform.pool, storage, recognizer, logger, onQueued: () => worker.wake() });

const documents = createDocumentClient({
  baseUrl: config.DOCUMENT_SERVICE_URL,
  internalTokens: platform.internalTokens,
  timeoutMs: config.DOCUMENT_SERVICE_TIMEOUT_MS,
});
// The learner waits for the score: Transcribe is asked about the job every second, not every five.
const practiceRecognizer: Recognizer = useTranscribe
  ? createTranscribeRecognizer({
      client: new TranscribeClient({ ...awsClientConfig(config), maxAttempts: 3 }),
      storage,
      bucket: config.S3_BUCKET!,
      pollMs: Math.min(config.TRANSCRIBE_POLL_MS, 1_000),
    })
  : recognizer;
const practice = createPracticeService({
  storage,
  recognizer: practiceRecognizer,
  documents,
  logger,
  limits: { concurrency: config.PRACTICE_CONCURRENCY || availableParallelism(), queue: config.PRACTICE_QUEUE },
  timeoutMs: config.PRACTICE_TIMEOUT_MS,
});

const app = createApp({
  ...platform,
  checks: { ...platform.checks, storage: () => storage.check(), recognizer: () => recognizer.check() },
  transcriptions,
  practice,
  documents,
  maxFileSize: config.MAX_FILE_SIZE,
  ...(local ? { localFiles: { storage: local, signingSecret } } : {}),
  erasure: { events: platform.events, storage, recognizer },
  events: platform.events,
  readyTimeoutMs: config.READY_TIMEOUT_MS,
});
await platform.events.start();
const server = await listen(app, config.PORT);
worker.start();
logger.info({ port: config.PORT }, 'stt service listening');

onShutdown(logger, async () => {
  await closeServer(server);
  await worker.stop();
  await platform.close();
});
