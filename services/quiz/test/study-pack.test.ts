import { randomBytes, randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Express } from 'express';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startDocumentService, type RunningDocumentService } from '@learner/document/testing';
import { createInternalTokens } from '@learner/common/auth';
import type { RequestUser } from '@learner/common/http';
import { createTestDatabase, requireInfra, testSecret, waitForConsumerGroup, type TestDatabase } from '@learner/common/testing';
import { buildQuizApp } from './harness.js';
import { cellBiology, photosynthesis } from './fixtures/study-texts.js';

/**
 * The study pack of an uploaded document, on the real servers: the document service processes it
 * (notes), records document.processed, its relay sends it to Kafka and its own consumer group reads
 * it back and queues the pack; the pack's worker asks this quiz service for a quiz over HTTP, then
 * the tts service for the notes read aloud. No tts service listens here, so that step fails and
 * says why, while the quiz is made.
 */
vi.setConfig({ testTimeout: 120_000, hookTimeout: 90_000 });

const brokers = requireInfra('KAFKA_BOOTSTRAP_SERVERS').split(',');
const consumerGroup = `document-service-test-${randomBytes(4).toString('hex')}`;
const secret = testSecret();
const tokens = createInternalTokens({ secret, issuer: 'gateway' });
const as = (user: RequestUser) => tokens.headersFor(user);
const newUser = (): RequestUser => ({ id: randomUUID(), email: 'learner@example.test' });

let quizDb: TestDatabase;
let quizApp: Express;
let quizServer: Server;
let documents: RunningDocumentService;

beforeAll(async () => {
  quizDb = await createTestDatabase({ database: 'quiz', fromDir: import.meta.dirname });
  // The quiz service listens before the document service starts (each calls the other).
  quizServer = createServer((req, res) => quizApp(req, res));
  await new Promise<void>((resolve) => quizServer.listen(0, '127.0.0.1', resolve));
  const quizUrl = `http://127.0.0.1:${(quizServer.address() as AddressInfo).port}`;
  documents = await startDocumentService({
    secret,
    kafkaBrokers: brokers,
    consumerGroup,
    // Port 9 (discard) refuses connections: the tts service is down.
    studyPacks: { quizUrl, ttsUrl: 'http://127.0.0.1:9', retryDelayMs: 50, maxAttempts: 2, quizQuestions: 4 },
  });
  quizApp = buildQuizApp({ pool: quizDb.pool, secret, documentServiceUrl: documents.url, documentTimeoutMs: 10_000 });
});

afterAll(async () => {
  if (quizServer?.listening) await new Promise((resolve) => quizServer.close(resolve));
  await Promise.all([quizDb?.drop(), documents?.stop()]);
});

function upload(user: RequestUser, text: string, fields: Record<string, string>) {
  let req = request(documents.app).post('/api/v1/documents').set(as(user));
  for (const [name, value] of Object.entries(fields)) req = req.field(name, value);
  return req.attach('file', Buffer.from(text, 'utf8'), { filename: 'notes.txt', contentType: 'text/plain' });
}

interface PackView {
  status: string;
  steps: Array<{ name: string; status: string; error: string | null }>;
  document_id: number;
  quiz_id: number | null;
  audio_id: string | null;
}

async function packWhenSettled(user: RequestUser, id: number): Promise<PackView> {
  const deadline = Date.now() + 90_000;
  for (;;) {
    const res = await request(documents.app).get(`/api/v1/documents/${id}`).set(as(user));
    expect(res.status).toBe(200);
    const pack = res.body.data.study_pack as PackView;
    if (pack.status !== 'running') return pack;
    if (Date.now() > deadline) throw new Error(`study pack of ${id} still running: ${JSON.stringify(pack)}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

const text = (pages: { text: string }[]) => pages.map((p) => p.text).join('\n\f');

describe('POST /api/v1/documents with study_pack=true', () => {
  it('makes the notes and a quiz of the document, and says the audio summary failed because the tts service is down', async () => {
    const user = newUser();
    const res = await upload(user, text(photosynthesis), { title: 'Photosynthesis', study_pack: 'true' });
    expect(res.status).toBe(201);
    expect(res.body.data.study_pack).toMatchObject({
      status: 'running',
      document_id: res.body.data.id,
      quiz_id: null,
      audio_id: null,
      steps: [
        { name: 'notes', status: 'pending' },
        { name: 'quiz', status: 'pending' },
        { name: 'audio', status: 'pending' },
      ],
    });

    const pack = await packWhenSettled(user, res.body.data.id as number);
    expect(pack.steps.map((s) => [s.name, s.status])).toEqual([
      ['notes', 'done'],
      ['quiz', 'done'],
      ['audio', 'failed'],
    ]);
    expect(pack.status).toBe('failed');
    expect(pack.steps[2]!.error).toMatch(/tts service/);
    expect(pack.audio_id).toBeNull();

    const quiz = await request(quizApp).get(`/api/v1/quizzes/${pack.quiz_id}`).set(as(user));
    expect(quiz.status).toBe(200);
    expect(quiz.body.data).toMatchObject({ document_id: pack.document_id, title: 'Quiz: Photosynthesis' });
    expect(quiz.body.data.questions.length).toBeGreaterThan(0);
    const notes = await request(documents.app).get(`/api/v1/documents/${pack.document_id}/notes`).set(as(user));
    expect(notes.status).toBe(200);

    // Another user sees neither the document nor its pack.
    const other = await request(documents.app).get(`/api/v1/documents/${pack.document_id}`).set(as(newUser()));
    expect(other.status).toBe(404);
  });

  it('makes no second quiz when document.processed is delivered again', async () => {
    const user = newUser();
    const res = await upload(user, text(cellBiology), { study_pack: '1' });
    expect(res.status).toBe(201);
    const id = res.body.data.id as number;
    const pack = await packWhenSettled(user, id);
    expect(pack.steps[1]).toMatchObject({ name: 'quiz', status: 'done' });

    const { rows } = await documents.db.pool.query<{ event_id: string }>(
      "SELECT event_id FROM outbox WHERE topic = 'document.processed' AND payload->'payload'->>'document_id' = $1",
      [String(id)],
    );
    expect(rows).toHaveLength(1);
    await documents.publishAgain(rows[0]!.event_id);
    await waitForConsumerGroup({ brokers, groupId: consumerGroup, topic: 'document.processed', timeoutMs: 60_000 });

    const list = await request(quizApp).get('/api/v1/quizzes').query({ document_id: id }).set(as(user));
    expect(list.body.data.map((q: { id: number }) => q.id)).toEqual([pack.quiz_id]);
    expect((await packWhenSettled(user, id)).quiz_id).toBe(pack.quiz_id);
  });

  it('says the quiz step failed, and why, when the document is too short for a quiz', async () => {
    const user = newUser();
    const res = await upload(user, 'Hello there.', { study_pack: 'true' });
    expect(res.status).toBe(201);
    const pack = await packWhenSettled(user, res.body.data.id as number);
    expect(pack.steps[0]).toMatchObject({ name: 'notes', status: 'done' });
    expect(pack.steps[1]).toMatchObject({ name: 'quiz', status: 'failed' });
    expect(pack.steps[1]!.error).toMatch(/not hold enough distinct statements/);
    expect(pack.quiz_id).toBeNull();
    expect(pack.status).toBe('failed');
  });

  it('answers 400 in the error format when study_pack is not a boolean, and stores nothing', async () => {
    const user = newUser();
    const res = await upload(user, text(photosynthesis), { study_pack: 'yes please' });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ error: 'ValidationError', details: { study_pack: expect.any(String) } });
    const list = await request(documents.app).get('/api/v1/documents').set(as(user));
    expect(list.body.data).toEqual([]);
  });

  it('leaves a document uploaded without study_pack without a pack', async () => {
    const user = newUser();
    const res = await upload(user, text(photosynthesis), {});
    expect(res.status).toBe(201);
    expect(res.body.data.study_pack).toBeNull();
  });
});

describe('POST /api/v1/quizzes/generate with an Idempotency-Key', () => {
  it('answers the quiz the first request with the key made, also to requests sent at once, and keeps one', async () => {
    const user = newUser();
    const up = await upload(user, text(cellBiology), {});
    const id = up.body.data.id as number;
    await packWhenProcessed(user, id);
    const ask = () =>
      request(quizApp).post('/api/v1/quizzes/generate').set(as(user)).set('Idempotency-Key', 'lesson-7').send({ document_id: id, num_questions: 3 });
    const [a, b] = await Promise.all([ask(), ask()]);
    const c = await ask();
    expect([a.status, b.status, c.status]).toEqual([201, 201, 201]);
    expect(new Set([a.body.data.id, b.body.data.id, c.body.data.id]).size).toBe(1);
    const list = await request(quizApp).get('/api/v1/quizzes').query({ document_id: id }).set(as(user));
    expect(list.body.data).toHaveLength(1);
    // The key is the user's own: another key, or no key, makes a new quiz.
    const fresh = await request(quizApp).post('/api/v1/quizzes/generate').set(as(user)).set('Idempotency-Key', 'lesson-8').send({ document_id: id });
    expect(fresh.body.data.id).not.toBe(a.body.data.id);
  });

  it('answers 400 to a key that is not 1 to 200 visible characters', async () => {
    const res = await request(quizApp).post('/api/v1/quizzes/generate').set(as(newUser())).set('Idempotency-Key', 'x'.repeat(201)).send({ document_id: 1 });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ error: 'ValidationError', details: { 'idempotency-key': expect.any(String) } });
  });
});

async function packWhenProcessed(user: RequestUser, id: number): Promise<void> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const res = await request(documents.app).get(`/api/v1/documents/${id}`).set(as(user));
    if (res.body.data.status === 'completed') return;
    if (res.body.data.status === 'failed' || Date.now() > deadline) throw new Error(`document ${id}: ${JSON.stringify(res.body.data)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
