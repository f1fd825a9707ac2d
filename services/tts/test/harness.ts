import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Express } from 'express';
import request from 'supertest';
import { createInternalTokens } from '@learner/common/auth';
import { createMemoryCache, type Cache } from '@learner/common/cache';
import type { Env } from '@learner/common/config';
import { createInProcessBus, createOutboxRelay, TOPICS, type EventEnvelope } from '@learner/common/events';
import type { RequestUser } from '@learner/common/http';
import { silentLogger } from '@learner/common/logger';
import { createMetrics } from '@learner/common/metrics';
import { createLocalStorage, type LocalStorage, type ObjectStorage } from '@learner/common/storage';
import { createTestDatabase, testSecret, type TestDatabase } from '@learner/common/testing';
import { createApp } from '../src/app.js';
import type { SynthesisLimits } from '../src/audio/audio-service.js';
import { loadConfig, type TtsConfig } from '../src/config.js';
import { createConfiguredSpeechEngine, createTtsDependencies } from '../src/dependencies.js';
import type { SpeechEngine } from '../src/engines/speech-engine.js';

/** The service's configuration as main.ts loads it, from these settings. */
export function testConfig(env: Env = {}): TtsConfig {
  return loadConfig({ DATABASE_URL: 'postgres://the-test-database', INTERNAL_TOKEN_SECRET: testSecret(), ...env });
}

/** The engines installed on this machine, as main.ts finds them; `hibariUrl` adds the warm neural voice. */
export async function installedLocalEngine(options: { withFfmpeg?: boolean; hibariUrl?: string } = {}): Promise<SpeechEngine> {
  const config = testConfig(options.hibariUrl ? { HIBARI_URL: options.hibariUrl } : {});
  const { engine, description } = await createConfiguredSpeechEngine({ ...config, FFMPEG_PATH: options.withFfmpeg === false ? undefined : config.FFMPEG_PATH });
  if (!description.flite || !description.espeak) throw new Error('flite and espeak-ng must be installed: run scripts/infra/engines.sh');
  return engine;
}

export interface Harness {
  app: Express;
  db: TestDatabase;
  storage: ObjectStorage;
  /** The secret the app's internal tokens are signed with, for a client calling as another service. */
  internalSecret: string;
  newUser(): RequestUser;
  as(user: RequestUser): Record<string, string>;
  /** Events the outbox relay has published so far. */
  publishedEvents(): Promise<EventEnvelope[]>;
  /** Downloads a signed link through the app, as the gateway's /files/tts/* does. */
  download(url: string): Promise<{ status: number; body: Buffer; contentType: string | undefined }>;
  close(): Promise<void>;
}

export async function startHarness(
  options: {
    /** Settings as the environment would give them (HIBARI_URL: the neural voice and its readiness check). */
    env?: Env;
    /** Replaces the configured engine (Polly on the emulator, an engine that cannot be reached). */
    engine?: SpeechEngine;
    storage?: ObjectStorage;
    cache?: Cache;
    limits?: SynthesisLimits;
  } = {},
): Promise<Harness> {
  const db = await createTestDatabase({ database: 'tts', fromDir: import.meta.dirname });
  const secret = testSecret();
  const internalSecret = testSecret();
  const tokens = createInternalTokens({ secret: internalSecret, issuer: 'gateway' });
  const folder = await mkdtemp(join(tmpdir(), 'tts-storage-'));
  const local: LocalStorage = createLocalStorage({ root: folder, publicBaseUrl: 'http://localhost:5000/files/tts', signingSecret: secret });
  const storage = options.storage ?? local;
  const bus = createInProcessBus();
  const relay = createOutboxRelay({ pool: db.pool, bus });
  const events: EventEnvelope[] = [];
  bus.subscribe(TOPICS.audioGenerationRequested, (event) => {
    events.push(event);
  });
  const limits = options.limits ? { SYNTHESIS_CONCURRENCY: String(options.limits.concurrency), SYNTHESIS_QUEUE: String(options.limits.queue) } : {};
  const config = testConfig({ ...options.env, ...limits });
  const tts = await createTtsDependencies({
    config,
    pool: db.pool,
    storage,
    cache: options.cache ?? createMemoryCache(),
    ...(options.engine ? { engine: options.engine } : {}),
  });
  const app = createApp({
    logger: silentLogger(),
    internalTokens: tokens,
    metrics: createMetrics({ service: 'tts', collectDefaults: false }),
    ...tts,
    ...(storage === local ? { localFiles: { storage: local, signingSecret: secret } } : {}),
  });
  return {
    app,
    db,
    storage,
    internalSecret,
    newUser: () => {
      const id = randomUUID();
      return { id, email: `${id.slice(0, 8)}@example.test` };
    },
    as: (user) => tokens.headersFor(user),
    async publishedEvents() {
      await relay.flush();
      return events;
    },
    async download(url) {
      const parsed = new URL(url);
      const res = await request(app)
        .get(parsed.pathname.replace(/^\/files\/tts/, '/files') + parsed.search)
        .buffer(true)
        .parse((r, cb) => {
          const chunks: Buffer[] = [];
          r.on('data', (c: Buffer) => chunks.push(c));
          r.on('end', () => cb(null, Buffer.concat(chunks)));
        });
      return { status: res.status, body: res.body as Buffer, contentType: res.headers['content-type'] };
    },
    async close() {
      await db.drop();
      await rm(folder, { recursive: true, force: true });
    },
  };
}
