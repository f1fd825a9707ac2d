import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '@learner/common/testing';
import { createTranscriptionRepository, type NewTranscription } from '../src/transcriptions/transcription-repository.js';

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
    const claimed = await Promise.all([jobs.claimNext(60), jobs.claimNext(60)]);
    expect(claimed.map((c) => c?.id).sort()).toEqual([...ids].sort());
    expect(await jobs.claimNext(60)).toBeUndefined();
  });

  it('lets only the current holder finish a job that was taken over', async () => {
    const jobs = createTranscriptionRepository(db.pool);
    const id = crypto.randomUUID();
    await jobs.insert(job(id));
    const first = await jobs.claimNext(0);
    await new Promise((r) => setTimeout(r, 20));
    const second = await jobs.claimNext(60);
    expect(second?.id).toBe(id);
    expect(await jobs.renewLease(first!, 60)).toBe(false);
    const result = { text: 'late', confidence: null, segments: [], durationSeconds: null };
    expect(await jobs.complete(first!, result)).toBe(false);
    expect(await jobs.complete(second!, { ...result, text: 'current' })).toBe(true);
    expect((await jobs.findForUser('queue-user', id))?.transcript).toBe('current');
  });
});
