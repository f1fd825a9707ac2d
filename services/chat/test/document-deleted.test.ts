import { randomBytes } from 'node:crypto';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startDocumentService, uploadDocument, type RunningDocumentService } from '@learner/document/testing';
import { createInternalTokens } from '@learner/common/auth';
import { eventsConsumed, requireInfra, testSecret, waitForConsumerGroup } from '@learner/common/testing';
import { newUser, startChat, type TestUser } from './support/chat-harness.js';

/**
 * Deleting a document, across services on the real servers: the real document service records
 * document.deleted and its outbox relay sends it to Kafka; the chat service's consumer group reads
 * it into the chat database, as main.ts wires it.
 */
vi.setConfig({ testTimeout: 90_000, hookTimeout: 60_000 });

const brokers = requireInfra('KAFKA_BOOTSTRAP_SERVERS').split(',');
const groupId = `chat-service-test-${randomBytes(4).toString('hex')}`;
const secret = testSecret();
const gatewayTokens = createInternalTokens({ secret, issuer: 'gateway' });

const PLANTS = [
  'Plant biology\n\nPlants are living things that make their own food. Most plants have roots, stems and leaves.',
  'Photosynthesis\n\nPhotosynthesis is the process by which green plants turn light energy into chemical energy. It takes place in the chloroplasts of leaf cells.',
];
const ROME = 'Roman history\n\nThe Roman Republic was founded in 509 BC. Julius Caesar crossed the Rubicon in 49 BC, starting a civil war.';

let documents: RunningDocumentService;
let chat: Awaited<ReturnType<typeof startChat>>;

beforeAll(async () => {
  documents = await startDocumentService({ secret, kafkaBrokers: brokers });
  chat = await startChat({ secret, documentServiceUrl: documents.url, documentTimeoutMs: 10_000, consumer: { brokers, groupId } });
});

afterAll(async () => {
  await chat?.close();
  await documents?.stop();
});

interface CitationJson {
  document_id: number;
  title: string;
  page: number | null;
  snippet: string;
  document_deleted: boolean;
}

async function citationsOf(user: TestUser, sessionId: number): Promise<CitationJson[][]> {
  const res = await chat.as(user).get(`/api/v1/chat/sessions/${sessionId}/messages`);
  expect(res.status).toBe(200);
  return (res.body.data as Array<{ role: string; citations: CitationJson[] }>).filter((m) => m.role === 'assistant').map((m) => m.citations);
}

describe('a deleted document, heard through Kafka', () => {
  it('leaves the answers that cited it, their citations keeping the title and saying the document was deleted', async () => {
    const user = newUser();
    const [plantsId, romeId] = await Promise.all([
      uploadDocument(documents.url, gatewayTokens.headersFor(user), { title: 'Plant biology', pages: PLANTS }),
      uploadDocument(documents.url, gatewayTokens.headersFor(user), { title: 'Roman history', pages: [ROME] }),
    ]);
    const session = (await chat.as(user).post('/api/v1/chat/sessions', {})).body.data.id as number;
    const focused = (await chat.as(user).post('/api/v1/chat/sessions', { document_ids: [plantsId] })).body.data.id as number;
    for (const [id, question] of [
      [session, 'What is photosynthesis?'],
      [session, 'When was the Roman Republic founded?'],
      [focused, 'What is photosynthesis?'],
    ] as const) {
      const asked = await chat.as(user).post(`/api/v1/chat/sessions/${id}/messages`, { message: question });
      expect(asked.status).toBe(201);
      expect(asked.body.data.ai_response.citations.length).toBeGreaterThan(0);
    }
    const before = await citationsOf(user, session);
    expect(before.map((c) => c.map((x) => [x.document_id, x.document_deleted]))).toEqual([[[plantsId, false]], [[romeId, false]]]);

    expect((await request(documents.app).delete(`/api/v1/documents/${plantsId}`).set(gatewayTokens.headersFor(user))).status).toBe(200);

    const deadline = Date.now() + 60_000;
    while (!(await citationsOf(user, session))[0]![0]!.document_deleted) {
      if (Date.now() > deadline) throw new Error('chat never heard of the deleted document');
      await new Promise((r) => setTimeout(r, 200));
    }
    const after = await citationsOf(user, session);
    // The citation keeps what it said (title, page, snippet); only the other document's stays live.
    expect(after).toEqual([[{ ...before[0]![0]!, document_deleted: true }], before[1]]);
    expect((await citationsOf(user, focused))[0]![0]).toMatchObject({ document_id: plantsId, title: 'Plant biology', document_deleted: true });

    // Asking on, in both sessions, answers without the deleted document, never with a 500.
    const onward = await chat.as(user).post(`/api/v1/chat/sessions/${session}/messages`, { message: 'What is photosynthesis?' });
    expect(onward.status).toBe(201);
    expect(onward.body.data.ai_response.citations.map((c: CitationJson) => c.document_id)).not.toContain(plantsId);
    const narrowed = await chat.as(user).post(`/api/v1/chat/sessions/${focused}/messages`, { message: 'What is photosynthesis?' });
    expect(narrowed.status).toBeLessThan(500);
    expect((await chat.as(user).get(`/api/v1/chat/sessions/${focused}`)).status).toBe(200);
    const fresh = await chat.as(user).post('/api/v1/chat/sessions', { document_ids: [plantsId] });
    expect(fresh.status).toBeGreaterThanOrEqual(400);
    expect(fresh.status).toBeLessThan(500);

    // The same event delivered again changes nothing.
    const { rows } = await documents.db.pool.query<{ event_id: string }>(
      "SELECT event_id FROM outbox WHERE topic = 'document.deleted' AND payload->'payload'->>'document_id' = $1",
      [String(plantsId)],
    );
    expect(rows).toHaveLength(1);
    const settled = await citationsOf(user, session);
    const duplicates = await eventsConsumed(chat.metrics.registry, 'document.deleted', 'duplicate');
    await documents.publishAgain(rows[0]!.event_id);
    await waitForConsumerGroup({ brokers, groupId, topic: 'document.deleted', timeoutMs: 60_000 });
    expect(await eventsConsumed(chat.metrics.registry, 'document.deleted', 'duplicate')).toBeGreaterThan(duplicates);
    expect(await citationsOf(user, session)).toEqual(settled);
  });
});
