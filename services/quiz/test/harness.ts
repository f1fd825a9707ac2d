import { randomUUID } from 'node:crypto';
import express, { type Express } from 'express';
import { assembleDocumentService, serveBehind, uploadDocument } from '@learner/document/testing';
import { createInternalTokens } from '@learner/common/auth';
import type { Env } from '@learner/common/config';
import type { Pool } from '@learner/common/db';
import type { EventConsumer } from '@learner/common/events';
import type { RequestUser } from '@learner/common/http';
import { silentLogger } from '@learner/common/logger';
import { createMetrics, type Metrics } from '@learner/common/metrics';
import { createTestDatabase, testSecret, type TestDatabase } from '@learner/common/testing';
import { createApp } from '../src/app.js';
import { loadConfig, type QuizConfig } from '../src/config.js';
import { createQuizDependencies } from '../src/dependencies.js';
import type { DocumentPage } from '../src/generation/question.js';
import { createExtractiveWriter, type QuestionWriter } from '../src/generation/question-writer.js';

/** The service's configuration as main.ts loads it, from these settings; no document service listens unless one is named. */
export function testConfig(env: Env = {}): QuizConfig {
  return loadConfig({ DATABASE_URL: 'postgres://the-test-database', INTERNAL_TOKEN_SECRET: testSecret(), DOCUMENT_SERVICE_URL: 'http://127.0.0.1:9', ...env });
}

/**
 * The quiz app as main.ts builds it (createQuizDependencies, then createApp) over `pool`, trusting
 * internal tokens signed with `secret`. The extractive generator runs in the test's thread unless
 * `writer` is given.
 */
export function buildQuizApp(options: {
  pool: Pool;
  secret: string;
  documentServiceUrl: string;
  documentTimeoutMs?: number;
  writer?: QuestionWriter;
  /** The service's event consumer; its handlers are registered, the test starts it. */
  events?: Pick<EventConsumer, 'on'>;
  metrics?: Metrics;
}): Express {
  const config = testConfig({
    INTERNAL_TOKEN_SECRET: options.secret,
    DOCUMENT_SERVICE_URL: options.documentServiceUrl,
    ...(options.documentTimeoutMs === undefined ? {} : { DOCUMENT_TIMEOUT_MS: String(options.documentTimeoutMs) }),
  });
  const internalTokens = createInternalTokens({ secret: config.INTERNAL_TOKEN_SECRET, issuer: 'quiz' });
  const quiz = createQuizDependencies({ config, internalTokens, writer: options.writer ?? createExtractiveWriter() });
  return createApp({
    logger: silentLogger(),
    internalTokens,
    metrics: options.metrics ?? createMetrics({ service: 'quiz', collectDefaults: false }),
    checks: {},
    optionalChecks: quiz.optionalChecks,
    pool: options.pool,
    documents: quiz.documents,
    writer: quiz.writer,
    ...(options.events ? { events: options.events } : {}),
  });
}

/**
 * The real document service (assembleDocumentService: its app, a fresh database, local storage and
 * its processing worker) on a loopback port, behind a pass-through that counts the passage reads it
 * forwards and can hold them (`slowDown`), which the real service cannot be made to do. Documents are
 * uploaded through its public route and processed by its worker.
 */
export async function startDocuments(secret: string) {
  const service = await assembleDocumentService({ secret, processing: { pollMs: 100 } });
  let delayMs = 0;
  const reads = new Map<number, number>();
  const front = express();
  front.get('/internal/v1/documents/:id/passages', async (req, res, next) => {
    const id = Number(req.params.id);
    res.on('finish', () => reads.set(id, (reads.get(id) ?? 0) + 1));
    if (delayMs) await new Promise((r) => setTimeout(r, delayMs));
    next();
  });
  const { url, close } = await serveBehind(service, front);
  return {
    url,
    /**
     * Uploads `pages` as a text file of `user`'s and answers once it is processed. `status: 'failed'`
     * uploads a damaged PDF instead, which the worker fails; `status: 'uploaded'` stops the worker first so the
     * document waits, unprocessed, until the next `add`.
     */
    async add(user: RequestUser, doc: { title: string; pages: DocumentPage[]; status?: 'completed' | 'failed' | 'uploaded' }): Promise<{ id: number }> {
      const headers = service.tokens.headersFor(user);
      const status = doc.status ?? 'completed';
      if (status === 'uploaded') await service.worker?.stop();
      else service.worker?.start();
      if (status === 'failed') {
        const damaged = Buffer.concat([Buffer.from('%PDF-1.7\n1 0 obj\n<< /Type /Catalog'), Buffer.alloc(300, 0x41)]);
        return { id: await uploadDocument(url, headers, { title: doc.title, filename: `${doc.title}.pdf`, bytes: damaged }, 'failed') };
      }
      return { id: await uploadDocument(url, headers, { title: doc.title, pages: doc.pages.map((p) => p.text) }, status) };
    },
    /** How many times a document's passages were read. */
    reads: (id: number) => reads.get(id) ?? 0,
    slowDown(ms: number) {
      delayMs = ms;
    },
    close,
  };
}

export interface Harness {
  app: Express;
  db: TestDatabase;
  documents: Awaited<ReturnType<typeof startDocuments>>;
  newUser(): RequestUser;
  as(user: RequestUser): Record<string, string>;
  /** Events written to the outbox for `topic`, oldest first. */
  events(topic: string): Promise<Array<{ event_type: string; user_id: string; payload: Record<string, unknown> }>>;
  close(): Promise<void>;
}

export async function startHarness(
  options: { documentServiceUrl?: string; documentTimeoutMs?: number; writer?: QuestionWriter } = {},
): Promise<Harness> {
  const db = await createTestDatabase({ database: 'quiz', fromDir: import.meta.dirname });
  const secret = testSecret();
  const tokens = createInternalTokens({ secret, issuer: 'gateway' });
  const documents = await startDocuments(secret);
  const app = buildQuizApp({
    pool: db.pool,
    secret,
    documentServiceUrl: options.documentServiceUrl ?? documents.url,
    documentTimeoutMs: options.documentTimeoutMs ?? 5000,
    ...(options.writer ? { writer: options.writer } : {}),
  });
  return {
    app,
    db,
    documents,
    newUser: () => {
      const id = randomUUID();
      return { id, email: `${id.slice(0, 8)}@example.test` };
    },
    as: (user) => tokens.headersFor(user),
    async events(topic) {
      const { rows } = await db.pool.query<{ payload: { event_type: string; user_id: string; payload: Record<string, unknown> } }>(
        'SELECT payload FROM outbox WHERE topic = $1 ORDER BY id',
        [topic],
      );
      return rows.map((r) => r.payload);
    },
    async close() {
      await documents.close();
      await db.drop();
    },
  };
}
