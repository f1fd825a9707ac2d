import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { randomUUID } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TOPICS, createEvent, createInProcessBus, createInProcessEventConsumer, type InProcessBus } from '@learner/common/events';
import type { RequestUser } from '@learner/common/http';
import { silentLogger } from '@learner/common/logger';
import { createLocalStorage } from '@learner/common/storage';
import { testSecret } from '@learner/common/testing';
import { registerUserErasure } from '../src/erasure/user-erasure.js';
import { startHarness, type Harness } from './harness.js';

/* The tts service's part of an account erasure: user.deleted delivered on the in-process bus. */
let h: Harness;
let bus: InProcessBus;
let folder: string;

beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), 'tts-erasure-'));
  const storage = createLocalStorage({ root: folder, publicBaseUrl: 'http://localhost:5000/files/tts', signingSecret: testSecret() });
  h = await startHarness({ storage });
  bus = createInProcessBus();
  const consumer = createInProcessEventConsumer({ name: 'tts-service', pool: h.db.pool, logger: silentLogger(), bus, maxAttempts: 1 });
  registerUserErasure(consumer, storage);
  await consumer.start();
});
afterAll(async () => {
  await h?.close();
  await rm(folder, { recursive: true, force: true });
});

const synthesize = (user: RequestUser, text: string) =>
  request(h.app).post('/api/v1/tts/synthesize').set(h.as(user)).send({ text, voice_id: 'flite-slt', format: 'mp3' });
const storedFiles = async (): Promise<string[]> => (await readdir(folder, { recursive: true })).filter((f) => f.endsWith('.mp3'));
const erase = (user: RequestUser) =>
  bus.publish([
    { topic: TOPICS.userDeleted, key: user.id, event: createEvent({ type: TOPICS.userDeleted, userId: user.id, service: 'gateway', payload: { erasure_id: randomUUID() } }) },
  ]);

describe('user.deleted in the tts service', () => {
  it('removes the user’s audio and its files, keeps another user’s, and stores nothing for the user afterwards', async () => {
    const [ada, bob] = [h.newUser(), h.newUser()];
    expect((await synthesize(ada, 'Rivers carve valleys.')).status).toBe(201);
    expect((await synthesize(ada, 'Glaciers carve them too.')).status).toBe(201);
    const bobs = await synthesize(bob, 'Wind moves sand.');
    expect(await storedFiles()).toHaveLength(3);

    await erase(ada);
    const { rows } = await h.db.pool.query('SELECT 1 FROM audio_files WHERE user_id = $1', [ada.id]);
    expect(rows).toHaveLength(0);
    expect(await storedFiles()).toEqual([`audio/${bobs.body.data.id}.mp3`]);
    expect((await request(h.app).get('/api/v1/tts/audio').set(h.as(ada))).body.data).toEqual([]);

    // A synthesis that finishes after the erasure (its request was already on its way) keeps nothing.
    const late = await synthesize(ada, 'Too late.');
    expect(late.status).toBe(401);
    expect(late.body).toMatchObject({ error: 'Unauthorized', message: 'The account was erased' });
    expect(await storedFiles()).toHaveLength(1);
  });
});
