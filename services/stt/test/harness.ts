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
import type { Env } from '@learner/common/config';
import { createApp, type SttAppDeps } from '../src/app.js';
import { loadConfig, type SttConfig } from '../src/config.js';
import { createConfiguredRecognizers, createSttDependencies } from '../src/dependencies.js';
import type { Recognizer } from '../src/recognizers/recognizer.js';
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

/**
 * The service's configuration as main.ts loads it, from these settings: the worker looks for
 * jobs every 100 ms, holds them for 30 s, and no document service listens unless one is named.
 */
export function testConfig(env: Env = {}): SttConfig {
  return loadConfig({
    DATABASE_URL: 'postgres://the-test-database',
    INTERNAL_TOKEN_SECRET: testSecret(),
    WORKER_POLL_MS: '100',
    JOB_LEASE_SECONDS: '30',
    DOCUMENT_SERVICE_URL: 'http://127.0.0.1:9',
    DOCUMENT_SERVICE_TIMEOUT_MS: '5000',
    ...env,
  });
}

/** pocketsphinx as main.ts finds it. */
export async function installedRecognizer(storage: ObjectStorage): Promise<Recognizer> {
  await Promise.all(['ffmpeg', 'pocketsphinx_continuous'].map(tool));
  return (await createConfiguredRecognizers(testConfig(), storage)).recognizer;
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
  const config = testConfig({
    ...(options.documentServiceUrl ? { DOCUMENT_SERVICE_URL: options.documentServiceUrl } : {}),
    ...(options.practiceLimits
      ? { PRACTICE_CONCURRENCY: String(options.practiceLimits.concurrency), PRACTICE_QUEUE: String(options.practiceLimits.queue) }
      : {}),
  });
  const recognizer = options.recognizer ?? (await installedRecognizer(storage));
  const stt = await createSttDependencies({ config, pool: db.pool, storage, internalTokens: createInternalTokens({ secret, issuer: 'stt' }), recognizer });
  const workers: TranscriptionWorker[] = [stt.worker];
  const newWorker = (extra: Partial<WorkerOptions> = {}): TranscriptionWorker => {
    const worker = createTranscriptionWorker({ pool: db.pool, recognizer, pollMs: config.WORKER_POLL_MS, leaseMs: config.JOB_LEASE_SECONDS * 1000, ...extra });
    workers.push(worker);
    return worker;
  };
  if (options.startWorker !== false) stt.worker.start();

  const bus = createInProcessBus();
  const relay = createOutboxRelay({ pool: db.pool, bus });
  const events: EventEnvelope[] = [];
  for (const topic of [TOPICS.transcriptionRequested, TOPICS.transcriptionCompleted]) {
    bus.subscribe(topic, (event) => {
      events.push(event);
    });
  }

  const consumer = options.events?.(db);
  const app = createApp({
    ...(consumer ? { events: consumer } : {}),
    logger: silentLogger(),
    internalTokens: tokens,
    metrics: createMetrics({ service: 'stt', collectDefaults: false }),
    ...stt,
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
