import { randomUUID } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Express } from 'express';
import request from 'supertest';
import { createInternalTokens, type InternalTokens } from '@learner/common/auth';
import { createInProcessBus, createOutboxRelay, TOPICS, type EventConsumer, type EventEnvelope } from '@learner/common/events';
import type { RequestUser } from '@learner/common/http';
import { silentLogger } from '@learner/common/logger';
import { createMetrics } from '@learner/common/metrics';
import { findExecutable, runCommand } from '@learner/common/process';
import { createLocalStorage, type ObjectStorage } from '@learner/common/storage';
import { createTestDatabase, testSecret, type TestDatabase } from '@learner/common/testing';
import { createApp, type SttAppDeps } from '../src/app.js';
import { createDocumentClient } from '../src/documents/document-client.js';
import { createPocketsphinxRecognizer } from '../src/recognizers/pocketsphinx-recognizer.js';
import type { Recognizer } from '../src/recognizers/recognizer.js';
import { createPracticeService } from '../src/practice/practice-service.js';
import { createTranscriptionService } from '../src/transcriptions/transcription-service.js';
import { createTranscriptionWorker, type TranscriptionWorker, type WorkerOptions } from '../src/transcriptions/transcription-worker.js';

export const LIBRIVOX_DIR = '/usr/share/pocketsphinx/test/data/librivox';

/** A public-domain LibriVox clip shipped by Debian's pocketsphinx-testdata, with what is said in it. */
export async function librivoxClip(name = 'sense_and_sensibility_01_austen_64kb-0880'): Promise<{ bytes: Buffer; reference: string }> {
  const transcription = await readFile(join(LIBRIVOX_DIR, 'transcription'), 'utf8');
  const line = transcription.split('\n').find((l) => l.includes(`(${name})`));
  if (!line) throw new Error(`${name} is not in the LibriVox transcription list`);
  return {
    bytes: await readFile(join(LIBRIVOX_DIR, `${name}.wav`)),
    reference: line.replace(/<\/?s>/g, '').replace(/\(.*\)/, '').trim(),
  };
}

async function tool(name: string): Promise<string> {
  const path = await findExecutable(name);
  if (!path) throw new Error(`${name} must be installed: run scripts/infra/engines.sh`);
  return path;
}

/** Speaks `text` with flite's slt voice and returns a WAV file. */
export async function speak(text: string): Promise<Buffer> {
  const dir = await mkdtemp(join(tmpdir(), 'stt-speak-'));
  try {
    await runCommand(await tool('flite'), ['-voice', 'slt', '-t', text, '-o', join(dir, 'speech.wav')]);
    return await readFile(join(dir, 'speech.wav'));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Re-encodes audio with ffmpeg into another container (mp3, flac, ogg, m4a, webm). */
export async function convert(wav: Buffer, format: string): Promise<Buffer> {
  const muxer: Record<string, string[]> = {
    mp3: ['-f', 'mp3'],
    flac: ['-f', 'flac'],
    ogg: ['-c:a', 'libvorbis', '-f', 'ogg'],
    m4a: ['-c:a', 'aac', '-f', 'ipod', '-movflags', 'frag_keyframe+empty_moov'],
    webm: ['-c:a', 'libopus', '-f', 'webm'],
  };
  const { stdout } = await runCommand(await tool('ffmpeg'), ['-v', 'error', '-i', 'pipe:0', ...muxer[format]!, 'pipe:1'], { input: wav });
  return stdout;
}

export async function installedRecognizer(storage: ObjectStorage): Promise<Recognizer> {
  return createPocketsphinxRecognizer({
    storage,
    ffmpegPath: await tool('ffmpeg'),
    pocketsphinxPath: await tool('pocketsphinx_continuous'),
    modelDir: '/usr/share/pocketsphinx/model/en-us',
  });
}

export interface Harness {
  app: Express;
  db: TestDatabase;
  /** The consumer made by the `events` option. */
  events?: EventConsumer;
  storage: ObjectStorage;
  tokens: InternalTokens;
  /** The internal token secret, shared with any other service a test runs. */
  secret: string;
  newUser(): RequestUser;
  as(user: RequestUser): Record<string, string>;
  upload(user: RequestUser, bytes: Buffer, filename: string, fields?: Record<string, string>): request.Test;
  /** Polls the status route until the job is completed or failed, for at most `ms`. */
  waitForEnd(user: RequestUser, id: string, ms?: number): Promise<Record<string, unknown> & { status: string }>;
  /** A new worker over the same database, as a restarted service would start one. */
  newWorker(options?: Partial<WorkerOptions>): TranscriptionWorker;
  publishedEvents(): Promise<EventEnvelope[]>;
  close(): Promise<void>;
}

export async function startHarness(
  options: {
    startWorker?: boolean;
    recognizer?: Recognizer;
    storage?: ObjectStorage;
    maxFileSize?: number;
    secret?: string;
    /** Where the document service listens; by default nothing does. */
    documentServiceUrl?: string;
    extend?: Partial<SttAppDeps>;
    /** Read-aloud recordings scored at once and waiting. */
    practiceLimits?: { concurrency: number; queue: number };
    /** The service's event consumer over the harness's database, given to createApp (the test starts it). */
    events?: (db: TestDatabase) => EventConsumer;
  } = {},
): Promise<Harness> {
  const db = await createTestDatabase({ database: 'stt', fromDir: import.meta.dirname });
  const secret = options.secret ?? testSecret();
  const tokens = createInternalTokens({ secret, issuer: 'gateway' });
  const folder = await mkdtemp(join(tmpdir(), 'stt-storage-'));
  const storage =
    options.storage ?? createLocalStorage({ root: folder, publicBaseUrl: 'http://localhost:5000/files/stt', signingSecret: testSecret() });
  const recognizer = options.recognizer ?? (await installedRecognizer(storage));
  const workers: TranscriptionWorker[] = [];
  const newWorker = (extra: Partial<WorkerOptions> = {}): TranscriptionWorker => {
    const worker = createTranscriptionWorker({ pool: db.pool, recognizer, pollMs: 100, leaseMs: 30_000, ...extra });
    workers.push(worker);
    return worker;
  };
  const worker = options.startWorker === false ? undefined : newWorker();
  const transcriptions = createTranscriptionService({
    pool: db.pool,
    storage,
    recognizer,
    ...(worker ? { onQueued: () => worker.wake() } : {}),
  });
  worker?.start();

  const bus = createInProcessBus();
  const relay = createOutboxRelay({ pool: db.pool, bus });
  const events: EventEnvelope[] = [];
  for (const topic of [TOPICS.transcriptionRequested, TOPICS.transcriptionCompleted]) {
    bus.subscribe(topic, (event) => {
      events.push(event);
    });
  }

  const documents = createDocumentClient({
    baseUrl: options.documentServiceUrl ?? 'http://127.0.0.1:9',
    internalTokens: createInternalTokens({ secret, issuer: 'stt' }),
    timeoutMs: 5_000,
  });
  const consumer = options.events?.(db);
  const app = createApp({
    ...(consumer ? { events: consumer } : {}),
    logger: silentLogger(),
    internalTokens: tokens,
    metrics: createMetrics({ service: 'stt', collectDefaults: false }),
    checks: {},
    transcriptions,
    practice: createPracticeService({ storage, recognizer, documents, ...(options.practiceLimits ? { limits: options.practiceLimits } : {}) }),
    documents,
    maxFileSize: options.maxFileSize ?? 10_485_760,
    ...options.extend,
  });

  const as = (user: RequestUser): Record<string, string> => tokens.headersFor(user);
  return {
    app,
    db,
    ...(consumer ? { events: consumer } : {}),
    storage,
    tokens,
    secret,
    newUser: () => {
      const id = randomUUID();
      return { id, email: `${id.slice(0, 8)}@example.test` };
    },
    as,
    upload(user, bytes, filename, fields = {}) {
      let req = request(app).post('/api/v1/stt/transcribe').set(as(user));
      for (const [name, value] of Object.entries(fields)) req = req.field(name, value);
      return req.attach('audio', bytes, { filename, contentType: 'application/octet-stream' });
    },
    async waitForEnd(user, id, ms = 60_000) {
      const deadline = Date.now() + ms;
      for (;;) {
        const res = await request(app).get(`/api/v1/stt/status/${id}`).set(as(user));
        if (res.status !== 200) throw new Error(`status answered ${res.status}`);
        if (res.body.data.status === 'completed' || res.body.data.status === 'failed') return res.body.data;
        if (Date.now() > deadline) throw new Error(`job ${id} still ${res.body.data.status} after ${ms} ms`);
        await new Promise((r) => setTimeout(r, 150));
      }
    },
    newWorker,
    async publishedEvents() {
      await relay.flush();
      return events;
    },
    async close() {
      await Promise.all(workers.map((w) => w.stop()));
      await db.drop();
      await rm(folder, { recursive: true, force: true });
    },
  };
}
