import { randomBytes, randomUUID } from 'node:crypto';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TOPICS, createEvent, createInProcessBus, createInProcessEventConsumer, type InProcessBus } from '@learner/common/events';
import type { RequestUser } from '@learner/common/http';
import { silentLogger } from '@learner/common/logger';
import { requireInfra } from '@learner/common/testing';
import { createS3Storage } from '@learner/common/storage';
import { registerUserErasure } from '../src/erasure/user-erasure.js';
import { startHarness, upload, waitForProcessing, type Harness } from './harness.js';

/*
 * The document service's part of an account erasure with its files in S3 (the moto server): the
 * handler the consumer runs for user.deleted, delivered on the in-process bus.
 */
let h: Harness;
let bus: InProcessBus;
const storage = createS3Storage({
  bucket: `erasure-${randomBytes(4).toString('hex')}`,
  region: 'us-east-1',
  endpoint: requireInfra('MOTO_ENDPOINT'),
  credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  createBucket: true,
});

beforeAll(async () => {
  h = await startHarness({ storage });
  bus = createInProcessBus();
  const consumer = createInProcessEventConsumer({ name: 'document-service', pool: h.db.pool, logger: silentLogger(), bus, maxAttempts: 1 });
  registerUserErasure(consumer, storage);
  await consumer.start();
}, 60_000);
afterAll(async () => {
  await h?.close();
});

const LESSON = 'Erosion is the wearing away of rock and soil by water, wind and ice. Deposition is where the carried material settles.\n';

async function processedDocument(user: RequestUser, name: string): Promise<string> {
  const res = await upload(h, user, Buffer.from(LESSON), name);
  expect(res.status).toBe(201);
  expect((await waitForProcessing(h, user, res.body.data.id)).status).toBe('completed');
  const { rows } = await h.db.pool.query<{ s3_key: string }>('SELECT s3_key FROM documents WHERE id = $1', [res.body.data.id]);
  return rows[0]!.s3_key;
}

async function rowsOf(user: RequestUser): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const table of ['documents', 'passages', 'notes', 'passage_embeddings']) {
    const { rows } = await h.db.pool.query<{ n: string }>(`SELECT count(*) AS n FROM ${table} WHERE user_id = $1`, [user.id]);
    counts[table] = Number(rows[0]!.n);
  }
  const { rows } = await h.db.pool.query<{ n: string }>('SELECT count(*) AS n FROM outbox WHERE event_key = $1', [user.id]);
  counts.outbox = Number(rows[0]!.n);
  return counts;
}

describe('user.deleted in the document service, files in S3', () => {
  it('removes the user’s documents, passages, notes, events and stored files, and nothing of another user', async () => {
    const [ada, bob] = [h.newUser(), h.newUser()];
    const adaKeys = [await processedDocument(ada, 'erosion.txt'), await processedDocument(ada, 'deposition.txt')];
    const bobKey = await processedDocument(bob, 'rivers.txt');
    const before = await rowsOf(ada);
    expect(before.passages).toBeGreaterThan(0);
    expect(before.notes).toBeGreaterThan(0);
    expect(before.outbox).toBeGreaterThan(0);
    for (const key of adaKeys) expect(await storage.exists(key)).toBe(true);

    const event = createEvent({ type: TOPICS.userDeleted, userId: ada.id, service: 'gateway', payload: { erasure_id: randomUUID() } });
    await bus.publish([{ topic: TOPICS.userDeleted, key: ada.id, event }]);

    expect(await rowsOf(ada)).toEqual({ documents: 0, passages: 0, notes: 0, passage_embeddings: 0, outbox: 0 });
    for (const key of adaKeys) expect(await storage.exists(key)).toBe(false);
    expect(await storage.exists(bobKey)).toBe(true);
    expect((await request(h.app).get('/api/v1/documents').set(h.as(bob))).body.data).toHaveLength(1);
    const { rows } = await h.db.pool.query<{ payload: { user_id: string; payload: { service: string } } }>(
      'SELECT payload FROM outbox WHERE topic = $1',
      [TOPICS.erasureConfirmed],
    );
    expect(rows.map((r) => r.payload)).toContainEqual(
      expect.objectContaining({ user_id: event.payload.erasure_id, payload: { erasure_id: event.payload.erasure_id, service: 'document' } }),
    );

    // Another user.deleted for the same user (a second request, a replay): nothing left to erase, no failure.
    await bus.publish([{ topic: TOPICS.userDeleted, key: ada.id, event: { ...event, event_id: randomUUID() } }]);
    const confirmed = await h.db.pool.query('SELECT 1 FROM outbox WHERE topic = $1', [TOPICS.erasureConfirmed]);
    expect(confirmed.rowCount).toBe(2);
    expect(await storage.exists(bobKey)).toBe(true);
  }, 120_000);
});
