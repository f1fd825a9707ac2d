import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDocumentService, type RunningDocumentService } from '@learner/document/testing';
import { testSecret } from '@learner/common/testing';
import { createTranscriptionRepository } from '../src/transcriptions/transcription-repository.js';
import { speak, startHarness, type Harness } from './harness.js';

// The real document service, on a real port, as the stt service reaches it in production.
const secret = testSecret();
let documents: RunningDocumentService;
let documentApp: RunningDocumentService['app'];
let h: Harness;
let offline: Harness;

beforeAll(async () => {
  documents = await startDocumentService({ secret, processing: false });
  documentApp = documents.app;
  [h, offline] = await Promise.all([
    startHarness({ secret, documentServiceUrl: documents.url }),
    startHarness({ secret, startWorker: false }),
  ]);
});

afterAll(async () => {
  await Promise.all([h.close(), offline.close()]);
  await documents.stop();
});

async function downloadDocument(user: ReturnType<Harness['newUser']>, id: number): Promise<string> {
  const link = await request(documentApp).get(`/api/v1/documents/${id}/download`).set(h.tokens.headersFor(user));
  const url = new URL(link.body.data.url as string);
  const file = await request(documentApp).get(url.pathname.replace(/^\/files\/document/, '/files') + url.search);
  return file.text;
}

describe('POST /api/v1/stt/transcriptions/{id}/document', () => {
  it('saves a completed transcript as a text document of the same user', async () => {
    const user = h.newUser();
    const res = await h.upload(user, await speak('The cell is the basic unit of life.'), 'biology lecture.wav');
    const id = res.body.data.task_id as string;
    const done = await h.waitForEnd(user, id);
    expect(done.status).toBe('completed');

    const saved = await request(h.app)
      .post(`/api/v1/stt/transcriptions/${id}/document`)
      .set(h.as(user))
      .send({ title: 'Biology, week 1' });
    expect(saved.status).toBe(201);
    expect(saved.body.data).toMatchObject({ title: 'Biology, week 1', filename: 'biology lecture (transcript).txt', file_type: 'txt' });
    const documentId = saved.body.data.id as number;

    const job = await request(h.app).get(`/api/v1/stt/transcriptions/${id}`).set(h.as(user));
    expect(job.body.data.document_id).toBe(documentId);

    const text = await downloadDocument(user, documentId);
    expect(text).toMatch(/^The cell is/);
    expect(text.toLowerCase()).toContain((done.transcript as string).split(' ').slice(0, 3).join(' '));

    const stranger = h.newUser();
    const theirs = await request(documentApp).get(`/internal/v1/documents/${documentId}`).set(h.tokens.headersFor(stranger));
    expect(theirs.status).toBe(404);
    const mine = await request(documentApp).get(`/internal/v1/documents/${documentId}`).set(h.tokens.headersFor(user));
    expect(mine.body.data).toMatchObject({ id: documentId, title: 'Biology, week 1' });
  });

  it('answers 409 while the transcription is not completed, and 404 for another user', async () => {
    const user = offline.newUser();
    const res = await offline.upload(user, await speak('Not yet.'), 'pending.wav');
    const id = res.body.data.task_id as string;
    const early = await request(offline.app).post(`/api/v1/stt/transcriptions/${id}/document`).set(offline.as(user)).send({});
    expect(early.status).toBe(409);
    expect(early.body).toMatchObject({ error: 'Conflict', details: { status: 'queued' } });
    const other = await request(offline.app).post(`/api/v1/stt/transcriptions/${id}/document`).set(offline.as(offline.newUser())).send({});
    expect(other.status).toBe(404);
    const bad = await request(offline.app).post(`/api/v1/stt/transcriptions/${id}/document`).set(offline.as(user)).send({ title: '' });
    expect(bad.status).toBe(400);
  });

  it('answers 503 when the document service cannot be reached, and keeps the transcript', async () => {
    const user = offline.newUser();
    const res = await offline.upload(user, await speak('Saved later.'), 'later.wav');
    const id = res.body.data.task_id as string;
    // Finish the job as a worker would, without running the recognizer; older queued jobs of
    // other tests are claimed and left alone on the way.
    const jobs = createTranscriptionRepository(offline.db.pool);
    let claimed = await jobs.claimNext(600_000);
    while (claimed && claimed.id !== id) claimed = await jobs.claimNext(600_000);
    expect(claimed?.id).toBe(id);
    await jobs.complete(claimed!, { text: 'saved later', confidence: 0.9, segments: [], durationSeconds: 1 });

    const saved = await request(offline.app).post(`/api/v1/stt/transcriptions/${id}/document`).set(offline.as(user)).send({});
    expect(saved.status).toBe(503);
    expect(saved.body.error).toBe('ServiceUnavailable');
    const job = await request(offline.app).get(`/api/v1/stt/transcriptions/${id}`).set(offline.as(user));
    expect(job.body.data).toMatchObject({ status: 'completed', transcript: 'saved later', document_id: null });
  });
});
