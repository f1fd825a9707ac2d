import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import type { Express } from 'express';
import request from 'supertest';
import { afterAll, beforeAll } from 'vitest';
import { createInternalTokens } from '@learner/common/auth';
import type { RequestUser } from '@learner/common/http';
import { silentLogger } from '@learner/common/logger';
import { createMetrics } from '@learner/common/metrics';
import { createLocalStorage, type LocalStorage, type ObjectStorage } from '@learner/common/storage';
import { createTestDatabase, testSecret, type TestDatabase } from '@learner/common/testing';
import { createApp } from '../src/app.js';
import { createExtractiveNotes } from '../src/notes/extractive-notes.js';
import type { NotesGenerator } from '../src/notes/notes-generator.js';
import type { OcrEngine } from '../src/ocr/ocr-engine.js';
import { createTesseractOcr } from '../src/ocr/tesseract-ocr.js';
import { createProcessingWorker, type ProcessingWorker, type ProcessingWorkerOptions } from '../src/processing/processing-worker.js';
import { createTextExtractor } from '../src/processing/text-extractor.js';

export interface Harness {
  app: Express;
  db: TestDatabase;
  storage: ObjectStorage;
  local: LocalStorage;
  /** The folder the local storage keeps files in. */
  folder: string;
  newUser(): RequestUser;
  /** Headers of a real internal token for `user`, as the gateway sends them. */
  as(user: RequestUser): Record<string, string>;
  /** The background worker; started unless `worker: false`. */
  worker?: ProcessingWorker;
  close(): Promise<void>;
}

export interface HarnessOptions {
  maxFileSize?: number;
  /** Object storage other than the default local folder (e.g. S3 on the emulator). */
  storage?: ObjectStorage;
  /** false: no worker, documents stay uploaded. */
  worker?: false | Partial<Pick<ProcessingWorkerOptions, 'leaseMs' | 'pollMs' | 'maxAttempts' | 'concurrency'>>;
  ocr?: OcrEngine;
  notes?: NotesGenerator;
}

export async function startHarness(options: HarnessOptions = {}): Promise<Harness> {
  const db = await createTestDatabase({ database: 'document', fromDir: import.meta.dirname });
  const secret = testSecret();
  const tokens = createInternalTokens({ secret, issuer: 'gateway' });
  const folder = await mkdtemp(join(tmpdir(), 'document-storage-'));
  const local = createLocalStorage({
    root: folder,
    publicBaseUrl: 'http://localhost:5000/files/document',
    signingSecret: secret,
  });
  const logger = silentLogger();
  const worker =
    options.worker === false
      ? undefined
      : createProcessingWorker({
          pool: db.pool,
          storage: options.storage ?? local,
          extractor: createTextExtractor({ ocr: options.ocr ?? createTesseractOcr({ timeoutMs: 60_000 }) }),
          notes: options.notes ?? createExtractiveNotes(),
          logger,
          pollMs: 200,
          ...options.worker,
        });
  worker?.start();
  const app = createApp({
    logger,
    internalTokens: tokens,
    metrics: createMetrics({ service: 'document', collectDefaults: false }),
    checks: {},
    pool: db.pool,
    storage: options.storage ?? local,
    localStorage: options.storage ? undefined : local,
    signingSecret: secret,
    maxFileSize: options.maxFileSize ?? 10_485_760,
    ...(worker ? { onQueued: () => worker.wake() } : {}),
  });
  return {
    app,
    db,
    storage: options.storage ?? local,
    local,
    folder,
    newUser: () => {
      const id = randomUUID();
      return { id, email: `${id.slice(0, 8)}@example.test` };
    },
    as: (user) => tokens.headersFor(user),
    ...(worker ? { worker } : {}),
    async close() {
      await worker?.stop();
      await db.drop();
      await rm(folder, { recursive: true, force: true });
    },
  };
}

/** Uploads `bytes` as the multipart field `file`. */
export function upload(h: Harness, user: RequestUser, bytes: Buffer, filename: string, fields: Record<string, string> = {}) {
  let req = request(h.app).post('/api/v1/documents/upload').set(h.as(user));
  for (const [name, value] of Object.entries(fields)) req = req.field(name, value);
  return req.attach('file', bytes, { filename, contentType: 'application/octet-stream' });
}

/** Fetches a signed local download link through the app, as the gateway's /files/document/* would. */
export function fetchSignedUrl(h: Harness, url: string) {
  const parsed = new URL(url);
  return request(h.app)
    .get(parsed.pathname.replace(/^\/files\/document/, '/files') + parsed.search)
    .buffer(true)
    .parse((res, done) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => done(null, Buffer.concat(chunks)));
    });
}

/** Polls the document until processing has finished (completed or failed), at most `timeoutMs`. */
export async function waitForProcessing(h: Harness, user: RequestUser, id: number, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const res = await request(h.app).get(`/api/v1/documents/${id}`).set(h.as(user));
    if (res.status !== 200) throw new Error(`document ${id} answered ${res.status}`);
    const status = res.body.data.status as string;
    if (status === 'completed' || status === 'failed') return res.body.data as Record<string, unknown>;
    if (Date.now() > deadline) throw new Error(`document ${id} still ${status} after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/**
 * Two apps for one test file: `busy` with its worker running, `idle` without one, for documents
 * that must stay waiting. Registers their start and clean-up with vitest.
 */
export function useBusyAndIdleHarnesses(): { busy: () => Harness; idle: () => Harness } {
  let busy: Harness | undefined;
  let idle: Harness | undefined;
  beforeAll(async () => {
    [busy, idle] = await Promise.all([startHarness(), startHarness({ worker: false })]);
  });
  afterAll(async () => {
    await Promise.all([busy?.close(), idle?.close()]);
  });
  return { busy: () => busy!, idle: () => idle! };
}
