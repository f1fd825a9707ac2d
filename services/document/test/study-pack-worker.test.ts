import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createInternalTokens } from '@learner/common/auth';
import type { RequestUser } from '@learner/common/http';
import { createStudyPackClients } from '../src/study-packs/study-pack-clients.js';
import { createStudyPackRepository } from '../src/study-packs/study-pack-repository.js';
import { createStudyPackWorker } from '../src/study-packs/study-pack-worker.js';
import { startHarness, upload, waitForProcessing, type Harness } from './harness.js';

/**
 * The study pack worker when the services it asks are down (nothing listens on port 9): it tries
 * again, then says in the failed step which service could not be reached; a pack that keeps being
 * claimed without an outcome is given up. Processing and its notes are the real ones.
 */
let h: Harness;
const DOWN = 'http://127.0.0.1:9';

beforeAll(async () => {
  h = await startHarness();
});

afterAll(async () => {
  await h?.close();
});

const worker = () =>
  createStudyPackWorker({
    pool: h.db.pool,
    clients: createStudyPackClients({
      quizUrl: DOWN,
      ttsUrl: DOWN,
      internalTokens: createInternalTokens({ secret: 'not-used-by-a-closed-port-000000', issuer: 'document' }),
      timeoutMs: 2_000,
    }),
    maxAttempts: 2,
    retryDelayMs: 20,
    pollMs: 50,
  });

/** A processed upload with a study pack, handed to the worker as document.processed does. */
async function processedPack(user: RequestUser): Promise<number> {
  const res = await upload(h, user, Buffer.from('Evaporation is the process by which water turns into vapour. Clouds form when it cools.'), 'water.txt', {
    study_pack: 'true',
  });
  expect(res.status).toBe(201);
  const id = res.body.data.id as number;
  expect((await waitForProcessing(h, user, id)).status).toBe('completed');
  expect(await createStudyPackRepository(h.db.pool).queue(user.id, id)).toBe(true);
  return id;
}

async function settled(user: RequestUser, id: number) {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const pack = (await request(h.app).get(`/api/v1/documents/${id}`).set(h.as(user))).body.data.study_pack;
    if (pack.status !== 'running') return pack as { status: string; steps: Array<{ name: string; status: string; error: string | null }> };
    if (Date.now() > deadline) throw new Error(`still running: ${JSON.stringify(pack)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('the study pack worker', () => {
  it('tries an unavailable service again, then fails the steps naming it', async () => {
    const user = h.newUser();
    const id = await processedPack(user);
    const w = worker();
    w.start();
    const pack = await settled(user, id).finally(() => w.stop());
    expect(pack.status).toBe('failed');
    expect(pack.steps[0]).toEqual({ name: 'notes', status: 'done', error: null });
    expect(pack.steps[1]).toMatchObject({ name: 'quiz', status: 'failed', error: expect.stringMatching(/quiz service/) });
    expect(pack.steps[2]).toMatchObject({ name: 'audio', status: 'failed', error: expect.stringMatching(/tts service/) });
    const { rows } = await h.db.pool.query<{ attempts: number; state: string }>('SELECT attempts, state FROM study_packs WHERE document_id = $1', [id]);
    expect(rows[0]).toEqual({ attempts: 2, state: 'finished' });
  });

  it('gives up a pack claimed again and again without an outcome, and says so', async () => {
    const user = h.newUser();
    const id = await processedPack(user);
    // As if every run so far had stopped before recording anything.
    await h.db.pool.query('UPDATE study_packs SET attempts = 4 WHERE document_id = $1', [id]);
    const w = worker();
    w.start();
    const pack = await settled(user, id).finally(() => w.stop());
    expect(pack.steps.slice(1).map((s) => [s.name, s.status, s.error])).toEqual([
      ['quiz', 'failed', 'The step was given up after 4 tries'],
      ['audio', 'failed', 'The step was given up after 4 tries'],
    ]);
  });
});

describe('the study pack queue under one heavy user', () => {
  it("hands out another user's pack, queued after the heavy user's three, right after the first of them", async () => {
    const heavy = h.newUser();
    const light = h.newUser();
    const heavyPacks: number[] = [];
    for (let i = 0; i < 3; i++) heavyPacks.push(await processedPack(heavy));
    const lightPack = await processedPack(light);
    const packs = createStudyPackRepository(h.db.pool);
    // One pack at a time, as the worker takes them: the first pack in the queue, finished, then the next.
    const first = await packs.claimNext(60_000);
    expect(first?.documentId).toBe(heavyPacks[0]);
    await packs.finish(first!);
    const second = await packs.claimNext(60_000);
    expect(second?.documentId).toBe(lightPack);
    // While the light user's pack is held (a second process), the heavy user's next one is handed out.
    const third = await packs.claimNext(60_000);
    expect(third?.documentId).toBe(heavyPacks[1]);
    await packs.finish(third!);
    await packs.finish(second!);
    expect((await packs.claimNext(60_000))?.documentId).toBe(heavyPacks[2]);
  });
});
