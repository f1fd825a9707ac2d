import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '@learner/common/testing';
import type { Recognizer } from '../src/recognizers/recognizer.js';
import {
  createTranscriptionRepository,
  type NewTranscription,
  type TranscriptionRecord,
} from '../src/transcriptions/transcription-repository.js';
import { createTranscriptionWorker } from '../src/transcriptions/transcription-worker.js';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase({ database: 'stt', fromDir: import.meta.dirname });
});
afterAll(() => db.drop());

const job = (id: string): NewTranscription => ({
  id,
  userId: 'queue-user',
  filename: 'a.wav',
  mediaFormat: 'wav',
  sizeBytes: 10,
  storageKey: `audio/${id}.wav`,
  language: 'en-US',
  speakerLabels: false,
  engine: 'pocketsphinx',
});

describe('the transcription job queue', () => {
  it('gives two workers claiming at once two different jobs, oldest first, and a third none', async () => {
    const jobs = createTranscriptionRepository(db.pool);
    const ids = [crypto.randomUUID(), crypto.randomUUID()];
    for (const id of ids) await jobs.insert(job(id));
    const claimed = await Promise.all([jobs.claimNext(60_000), jobs.claimNext(60_000)]);
    expect(claimed.map((c) => c?.id).sort()).toEqual([...ids].sort());
    expect(await jobs.claimNext(60_000)).toBeUndefined();
  });

  it('lets only the current holder finish a job that was taken over', async () => {
    const jobs = createTranscriptionRepository(db.pool);
    const id = crypto.randomUUID();
    await jobs.insert(job(id));
    const first = await jobs.claimNext(0);
    await new Promise((r) => setTimeout(r, 20));
    const second = await jobs.claimNext(60_000);
    expect(second?.id).toBe(id);
    expect(await jobs.renewLease(first!, 60_000)).toBe(false);
    const result = { text: 'late', confidence: null, segments: [], durationSeconds: null };
    expect(await jobs.complete(first!, result)).toBe(false);
    expect(await jobs.complete(second!, { ...result, text: 'current' })).toBe(true);
    expect((await jobs.findForUser('queue-user', id))?.transcript).toBe('current');
  });

  it("hands out another user's job, queued after one user's three, right after the first of them", async () => {
    const jobs = createTranscriptionRepository(db.pool);
    const heavy = [crypto.randomUUID(), crypto.randomUUID(), crypto.randomUUID()];
    const light = crypto.randomUUID();
    for (const id of heavy) await jobs.insert({ ...job(id), userId: 'heavy-user' });
    await jobs.insert({ ...job(light), userId: 'light-user' });
    const result = { text: 'done', confidence: null, segments: [], durationSeconds: null };
    // One worker: the first job in the queue, finished, then the next.
    const first = await jobs.claimNext(60_000);
    expect(first?.id).toBe(heavy[0]);
    expect(await jobs.complete(first!, result)).toBe(true);
    const second = await jobs.claimNext(60_000);
    expect(second?.id).toBe(light);
    // While the light user's job is held (a second worker), the heavy user's next one is handed out.
    const third = await jobs.claimNext(60_000);
    expect(third?.id).toBe(heavy[1]);
  });
});

describe('a transcription whose engine fails', () => {
  const engineThatFails = (failures: number): Recognizer => {
    let calls = 0;
    return {
      name: 'pocketsphinx',
      defaultLanguage: 'en-US',
      supportsLanguage: () => true,
      async recognize() {
        calls += 1;
        if (calls <= failures) throw new Error('engine crashed');
        return { text: 'second time lucky', confidence: 0.5, segments: [], durationSeconds: 1 };
      },
      async discard() {},
      async check() {},
    };
  };

  async function runUntilDone(recognizer: Recognizer, maxAttempts: number): Promise<TranscriptionRecord> {
    const jobs = createTranscriptionRepository(db.pool);
    const id = crypto.randomUUID();
    await jobs.insert({ ...job(id), userId: `retry-${id}` });
    const worker = createTranscriptionWorker({ pool: db.pool, recognizer, pollMs: 20, maxAttempts, retryDelaySeconds: 0 });
    worker.start();
    try {
      for (const deadline = Date.now() + 10_000; Date.now() < deadline; await new Promise((r) => setTimeout(r, 20))) {
        const record = await jobs.findForUser(`retry-${id}`, id);
        if (record && (record.status === 'completed' || record.status === 'failed')) return record;
      }
      throw new Error('the job never ended');
    } finally {
      await worker.stop();
    }
  }

  it('is tried again and completes when the engine recovers', async () => {
    const record = await runUntilDone(engineThatFails(1), 3);
    expect(record).toMatchObject({ status: 'completed', transcript: 'second time lucky', attempts: 2 });
  });

  it('ends as failed with a reason once its attempts are used up', async () => {
    const record = await runUntilDone(engineThatFails(5), 2);
    expect(record).toMatchObject({ status: 'failed', error: 'The audio could not be transcribed', attempts: 2 });
  });
});
