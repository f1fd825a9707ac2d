import { randomUUID } from 'node:crypto';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express, { type Express } from 'express';
import { createInternalTokens, requireInternalIdentity, currentUser, type InternalTokens } from '@learner/common/auth';
import type { Env } from '@learner/common/config';
import type { DocumentPassages } from '@learner/common/contracts';
import type { Pool } from '@learner/common/db';
import { errorBody } from '@learner/common/errors';
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
import { storedPassages } from './fixtures/study-texts.js';

export interface StoredDocument {
  id: number;
  userId: string;
  title: string;
  status: 'uploaded' | 'processing' | 'completed' | 'failed';
  pages: DocumentPage[];
}

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
 * A real HTTP server speaking the document service's internal passages route over documents the test
 * puts in it, in the shape of the document contract (@learner/common/contracts); it checks the
 * internal token exactly as the document service does. with-document-service.test.ts runs the real one.
 */
export async function startDocumentStandIn(tokens: InternalTokens) {
  const documents = new Map<number, StoredDocument>();
  let nextId = 1;
  let delayMs = 0;
  const reads = new Map<number, number>();
  const app = express();
  app.use('/internal/v1', requireInternalIdentity(tokens));
  app.get('/internal/v1/documents/:id/passages', async (req, res) => {
    if (delayMs) await new Promise((r) => setTimeout(r, delayMs));
    const doc = documents.get(Number(req.params.id));
    if (!doc || doc.userId !== currentUser(req).id) {
      res.status(404).json(errorBody('NotFound', 'Document not found', 'req'));
      return;
    }
    if (doc.status !== 'completed') {
      res.status(409).json(errorBody('Conflict', `The document's text is not available while it is ${doc.status}`, 'req', { status: doc.status }));
      return;
    }
    // Cut as the document service cuts a document at processing.
    const passages = storedPassages(doc.pages).map((p, i) => ({
      id: i + 1,
      page: p.page,
      position: p.position,
      text: p.text,
      heading: p.heading,
      start_offset: p.start,
      end_offset: p.end,
    }));
    const data: DocumentPassages = { id: doc.id, title: doc.title, status: doc.status, passages };
    reads.set(doc.id, (reads.get(doc.id) ?? 0) + 1);
    res.json({ status: 'success', data, timestamp: new Date().toISOString() });
  });
  app.use((err: { status?: number; message?: string }, _req: express.Request, res: express.Response, _next: express.NextFunction) => {
    res.status(err.status ?? 500).json(errorBody('Unauthorized', err.message ?? 'error', 'req'));
  });
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    add(doc: Omit<StoredDocument, 'id' | 'status'> & { status?: StoredDocument['status'] }): StoredDocument {
      const stored: StoredDocument = { status: 'completed', ...doc, id: nextId++ };
      documents.set(stored.id, stored);
      return stored;
    },
    /** How many times a document's passages were read. */
    reads: (id: number) => reads.get(id) ?? 0,
    slowDown(ms: number) {
      delayMs = ms;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

export interface Harness {
  app: Express;
  db: TestDatabase;
  documents: Awaited<ReturnType<typeof startDocumentStandIn>>;
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
  const documents = await startDocumentStandIn(tokens);
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
