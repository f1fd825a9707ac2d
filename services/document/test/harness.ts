import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { afterAll, beforeAll } from 'vitest';
import type { RequestUser } from '@learner/common/http';
import type { ObjectStorage } from '@learner/common/storage';
import { createExtractiveNotes } from '../src/notes/extractive-notes.js';
import type { NotesGenerator } from '../src/notes/notes-generator.js';
import type { OcrEngine } from '../src/ocr/ocr-engine.js';
import {
  assembleDocumentService,
  type AssembledDocumentService,
  type DocumentServiceOptions,
} from '../src/testing/start-document-service.js';

export interface Harness extends AssembledDocumentService {
  newUser(): RequestUser;
  /** Headers of a real internal token for `user`, as the gateway sends them. */
  as(user: RequestUser): Record<string, string>;
}

export interface HarnessOptions {
  maxFileSize?: number;
  /** Object storage other than the default local folder (e.g. S3 on the emulator). */
  storage?: ObjectStorage;
  /** false: no worker, documents stay uploaded. */
  worker?: DocumentServiceOptions['processing'];
  ocr?: OcrEngine;
  notes?: NotesGenerator;
  /** An embedding adapter or the URL of the local embedding server; absent: full-text search only. */
  embeddings?: DocumentServiceOptions['embeddings'];
  /** The database of an earlier harness, to start again on it. */
  database?: DocumentServiceOptions['database'];
}

/** The document service with its worker (polling every 200 ms) and extractive notes unless told otherwise. */
export async function startHarness(options: HarnessOptions = {}): Promise<Harness> {
  const service = await assembleDocumentService({
    ...(options.maxFileSize === undefined ? {} : { maxFileSize: options.maxFileSize }),
    ...(options.storage ? { storage: options.storage } : {}),
    ...(options.ocr ? { ocr: options.ocr } : {}),
    notes: options.notes ?? createExtractiveNotes(),
    processing: options.worker === false ? false : { pollMs: 200, ...options.worker },
    embeddings: options.embeddings,
    ...(options.database ? { database: options.database } : {}),
  });
  return {
    ...service,
    newUser: () => {
      const id = randomUUID();
      return { id, email: `${id.slice(0, 8)}@example.test` };
    },
    as: (user) => service.tokens.headersFor(user),
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

/** How many passages the documents have, and how many of them carry a vector. */
export async function embeddingCounts(h: Harness, documentIds: number[]): Promise<{ passages: number; embedded: number }> {
  const { rows } = await h.db.pool.query<{ passages: number; embedded: number }>(
    `SELECT count(*)::int AS passages, count(e.passage_id)::int AS embedded
     FROM passages p LEFT JOIN passage_embeddings e ON e.passage_id = p.id WHERE p.document_id = ANY($1::int[])`,
    [documentIds],
  );
  return rows[0]!;
}
