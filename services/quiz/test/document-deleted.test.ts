import { randomBytes, randomUUID } from 'node:crypto';
import type { Express } from 'express';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startDocumentService, uploadDocument, type RunningDocumentService } from '@learner/document/testing';
import { createInternalTokens } from '@learner/common/auth';
import { createKafkaEventConsumer, type EventConsumer } from '@learner/common/events';
import type { RequestUser } from '@learner/common/http';
import { silentLogger } from '@learner/common/logger';
import { createMetrics, type Metrics } from '@learner/common/metrics';
import {
  createTestDatabase,
  eventsConsumed,
  requireInfra,
  testSecret,
  waitForConsumerGroup,
  type TestDatabase,
} from '@learner/common/testing';
import { cellBiology, photosynthesis } from './fixtures/study-texts.js';
import { buildQuizApp } from './harness.js';

/**
 * Deleting a document, across services on the real servers: the real document service records
 * document.deleted and its outbox relay sends it to Kafka; the quiz service's consumer group reads
 * it into the quiz database, as main.ts wires it.
 */
vi.setConfig({ testTimeout: 90_000, hookTimeout: 60_000 });

const brokers = requireInfra('KAFKA_BOOTSTRAP_SERVERS').split(',');
const groupId = `quiz-service-test-${randomBytes(4).toString('hex')}`;
const secret = testSecret();
const tokens = createInternalTokens({ secret, issuer: 'gateway' });
const as = (user: RequestUser) => tokens.headersFor(user);

let quizDb: TestDatabase;
let documents: RunningDocumentService;
let consumer: EventConsumer;
let metrics: Metrics;
let quizApp: Express;

beforeAll(async () => {
  [quizDb, documents] = await Promise.all([
    createTestDatabase({ database: 'quiz', fromDir: import.meta.dirname }),
    startDocumentService({ secret, kafkaBrokers: brokers }),
  ]);
  metrics = createMetrics({ service: 'quiz', collectDefaults: false });
  const logger = silentLogger();
  consumer = createKafkaEventConsumer({ name: groupId, pool: quizDb.pool, logger, registry: metrics.registry, kafka: { brokers, clientId: groupId } });
  quizApp = buildQuizApp({ pool: quizDb.pool, secret, documentServiceUrl: documents.url, events: consumer, metrics });
  await consumer.start();
});

afterAll(async () => {
  await consumer?.stop();
  await Promise.all([quizDb?.drop(), documents?.stop()]);
});

async function quizFrom(user: RequestUser, documentId: number): Promise<{ id: number; questions: Array<{ id: number }> }> {
  const res = await request(quizApp).post('/api/v1/quizzes/generate').set(as(user)).send({ document_id: documentId, num_questions: 4, seed: 7 });
  expect(res.status).toBe(201);
  expect(res.body.data.document_deleted).toBe(false);
  return res.body.data;
}

/** What a learner sees of a quiz: the quiz, its results and its line in the list. */
async function views(user: RequestUser, quizId: number) {
  const [quiz, results, list] = await Promise.all([
    request(quizApp).get(`/api/v1/quizzes/${quizId}`).set(as(user)),
    request(quizApp).get(`/api/v1/quizzes/${quizId}/results`).set(as(user)),
    request(quizApp).get('/api/v1/quizzes').set(as(user)),
  ]);
  expect([quiz.status, results.status, list.status]).toEqual([200, 200, 200]);
  return { quiz: quiz.body.data, results: results.body.data, list: list.body.data as Array<{ id: number; document_deleted: boolean }> };
}

async function eventOf(documentId: number): Promise<string> {
  const { rows } = await documents.db.pool.query<{ event_id: string }>(
    "SELECT event_id FROM outbox WHERE topic = 'document.deleted' AND payload->'payload'->>'document_id' = $1",
    [String(documentId)],
  );
  expect(rows).toHaveLength(1);
  return rows[0]!.event_id;
}

describe('a deleted document, heard through Kafka', () => {
  it('leaves its quizzes readable with their results, marked as from a deleted document, and makes no new quiz from it', async () => {
    const user: RequestUser = { id: randomUUID(), email: 'learner@example.test' };
    const [deletedId, keptId] = await Promise.all([
      uploadDocument(documents.url, as(user), { title: 'photosynthesis', pages: photosynthesis.map((p) => p.text) }),
      uploadDocument(documents.url, as(user), { title: 'cells', pages: cellBiology.map((p) => p.text) }),
    ]);
    const quiz = await quizFrom(user, deletedId);
    const other = await quizFrom(user, keptId);
    const answers = Object.fromEntries(quiz.questions.map((q) => [String(q.id), 'true']));
    expect((await request(quizApp).post(`/api/v1/quizzes/${quiz.id}/submit`).set(as(user)).send({ answers })).status).toBe(201);

    const removed = await request(documents.app).delete(`/api/v1/documents/${deletedId}`).set(as(user));
    expect(removed.status).toBe(200);

    const deadline = Date.now() + 60_000;
    while (!(await views(user, quiz.id)).quiz.document_deleted) {
      if (Date.now() > deadline) throw new Error('the quiz never heard of the deleted document');
      await new Promise((r) => setTimeout(r, 200));
    }
    const after = await views(user, quiz.id);
    expect(after.quiz).toMatchObject({ id: quiz.id, document_id: deletedId, document_deleted: true });
    expect(after.quiz.questions).toHaveLength(quiz.questions.length);
    expect(after.results).toMatchObject({ quiz_id: quiz.id, document_deleted: true, attempts: 1 });
    expect(after.list.map((q) => [q.id, q.document_deleted])).toEqual(
      expect.arrayContaining([
        [quiz.id, true],
        [other.id, false],
      ]),
    );
    expect((await views(user, other.id)).quiz.document_deleted).toBe(false);

    // No new quiz from it: a clear 410 in the error format, not the document service's 404.
    const again = await request(quizApp).post('/api/v1/quizzes/generate').set(as(user)).send({ document_id: deletedId, num_questions: 3 });
    expect(again.status).toBe(410);
    expect(again.body).toMatchObject({ error: 'Gone', details: { document_id: deletedId } });
    expect(again.body.message).toContain('deleted');
    // The quiz can still be taken, and the list filtered by the deleted document still answers.
    expect((await request(quizApp).post(`/api/v1/quizzes/${quiz.id}/submit`).set(as(user)).send({ answers })).status).toBe(201);
    const filtered = await request(quizApp).get(`/api/v1/quizzes?document_id=${deletedId}`).set(as(user));
    expect(filtered.status).toBe(200);
    expect(filtered.body.data.map((q: { id: number }) => q.id)).toEqual([quiz.id]);
    // Another learner is not told anything about it: that id is simply not theirs.
    const stranger = { id: randomUUID(), email: 'stranger@example.test' };
    expect((await request(quizApp).post('/api/v1/quizzes/generate').set(as(stranger)).send({ document_id: deletedId })).status).toBe(404);

    // The same event delivered again changes nothing.
    const before = await views(user, quiz.id);
    const duplicates = await eventsConsumed(metrics.registry, 'document.deleted', 'duplicate');
    await documents.publishAgain(await eventOf(deletedId));
    await waitForConsumerGroup({ brokers, groupId, topic: 'document.deleted', timeoutMs: 60_000 });
    expect(await eventsConsumed(metrics.registry, 'document.deleted', 'duplicate')).toBeGreaterThan(duplicates);
    expect(await views(user, quiz.id)).toEqual(before);
    const marks = await quizDb.pool.query('SELECT 1 FROM deleted_documents WHERE user_id = $1 AND document_id = $2', [user.id, deletedId]);
    expect(marks.rowCount).toBe(1);
  });
});
