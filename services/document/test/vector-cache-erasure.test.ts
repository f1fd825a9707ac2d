import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TOPICS, createEvent, createInProcessBus, createInProcessEventConsumer, type InProcessBus } from '@learner/common/events';
import type { RequestUser } from '@learner/common/http';
import { silentLogger } from '@learner/common/logger';
import { LOCAL_EMBEDDING_MODEL } from '../src/config.js';
import { createEmbeddingRepository } from '../src/embeddings/embedding-repository.js';
import { createVectorCache, type VectorCache } from '../src/embeddings/vector-cache.js';
import { registerUserErasure } from '../src/erasure/user-erasure.js';
import { embeddingsBaseUrl } from './embedding-test-server.js';
import { startHarness, upload, waitForProcessing, type Harness } from './harness.js';

/*
 * The search's in-memory vectors of a user, with the local embedding server: an erased account's
 * go with its rows (user.deleted on the in-process bus), a deleted document's are never served again.
 */
let h: Harness;
let bus: InProcessBus;
let cache: VectorCache;

beforeAll(async () => {
  h = await startHarness({ embeddings: embeddingsBaseUrl() });
  cache = createVectorCache(createEmbeddingRepository(h.db.pool));
  bus = createInProcessBus();
  const consumer = createInProcessEventConsumer({ name: 'document-service', pool: h.db.pool, logger: silentLogger(), bus, maxAttempts: 1 });
  registerUserErasure(consumer, h.storage, cache);
  await consumer.start();
}, 60_000);
afterAll(async () => {
  await h?.close();
});

const LESSON = 'Erosion is the wearing away of rock and soil by water, wind and ice. Deposition is where the carried material settles.\n';

async function processedDocument(user: RequestUser, name: string): Promise<number> {
  const res = await upload(h, user, Buffer.from(LESSON), name);
  expect(res.status).toBe(201);
  expect((await waitForProcessing(h, user, res.body.data.id)).status).toBe('completed');
  return res.body.data.id as number;
}

async function cachedDocuments(user: RequestUser): Promise<number[]> {
  return [...new Set((await cache.vectorsOf(user.id, LOCAL_EMBEDDING_MODEL)).map((v) => v.documentId))].sort((a, b) => a - b);
}

describe('the vectors kept in memory for search', () => {
  it('drops an erased user’s vectors at once and keeps another user’s', async () => {
    const [ada, bob] = [h.newUser(), h.newUser()];
    const adaDocs = [await processedDocument(ada, 'erosion.txt'), await processedDocument(ada, 'deposition.txt')];
    const bobDoc = await processedDocument(bob, 'rivers.txt');
    expect(await cachedDocuments(ada)).toEqual(adaDocs);
    expect(await cachedDocuments(bob)).toEqual([bobDoc]);
    expect(cache.holds(ada.id)).toBe(true);

    const event = createEvent({ type: TOPICS.userDeleted, userId: ada.id, service: 'gateway', payload: { erasure_id: randomUUID() } });
    await bus.publish([{ topic: TOPICS.userDeleted, key: ada.id, event }]);

    expect(cache.holds(ada.id)).toBe(false);
    expect(cache.holds(bob.id)).toBe(true);
    expect(await cachedDocuments(bob)).toEqual([bobDoc]);
  }, 120_000);

  it('never serves the vectors of a deleted document again', async () => {
    const cy = h.newUser();
    const [kept, deleted] = [await processedDocument(cy, 'kept.txt'), await processedDocument(cy, 'deleted.txt')];
    expect(await cachedDocuments(cy)).toEqual([kept, deleted]);

    expect((await request(h.app).delete(`/api/v1/documents/${deleted}`).set(h.as(cy))).status).toBe(200);

    expect(await cachedDocuments(cy)).toEqual([kept]);
    expect(await cache.vectorsOf(cy.id, LOCAL_EMBEDDING_MODEL, [deleted])).toEqual([]);
  }, 120_000);
});
