import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { wordErrorRate } from '../src/recognizers/word-error-rate.js';
import { librivoxClip, speak, startHarness, type Harness } from './harness.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.close());

const LECTURE =
  'The cell is the basic unit of life. Every living thing is made of one or more cells. ' +
  'Plants and animals have different kinds of cells, but all of them need energy to grow.';

interface SegmentView {
  start: number;
  end: number;
  speaker: string | null;
  text: string;
  confidence: number | null;
}

describe('POST /api/v1/stt/transcribe with the local engine', () => {
  it('answers 202 at once with a task id and status url, then transcribes flite speech with most words intact', async () => {
    const user = h.newUser();
    const res = await h.upload(user, await speak(LECTURE), 'lecture.wav');
    expect(res.status).toBe(202);
    expect(res.body.data).toMatchObject({ status: 'queued', media_format: 'wav', engine: 'pocketsphinx', language: 'en-US' });
    const id = res.body.data.task_id as string;
    expect(res.body.data.status_url).toBe(`/api/v1/stt/status/${id}`);
    expect(res.headers.location).toBe(`/api/v1/stt/status/${id}`);

    const done = await h.waitForEnd(user, id);
    expect(done.status).toBe('completed');
    const transcript = done.transcript as string;
    const wer = wordErrorRate(LECTURE, transcript);
    console.log(`flite slt -> pocketsphinx word error rate: ${(wer * 100).toFixed(1)}% ("${transcript}")`);
    expect(wer).toBeLessThan(0.35);
    expect(done.confidence).toBeGreaterThan(0);
    expect(done.confidence).toBeLessThanOrEqual(1);
    expect(done.duration_seconds).toBeGreaterThan(4);

    const segments = done.segments as SegmentView[];
    expect(segments.length).toBeGreaterThan(0);
    expect(segments.map((s) => s.text).join(' ')).toBe(transcript);
    let previousEnd = 0;
    for (const segment of segments) {
      expect(segment.start).toBeGreaterThanOrEqual(previousEnd);
      expect(segment.end).toBeGreaterThan(segment.start);
      expect(segment.speaker).toBeNull();
      previousEnd = segment.end;
    }
    expect(previousEnd).toBeLessThanOrEqual(done.duration_seconds as number);
  });

  it('transcribes a real LibriVox recording and reports its word error rate', async () => {
    const user = h.newUser();
    const clip = await librivoxClip('sense_and_sensibility_01_austen_64kb-0870');
    const res = await h.upload(user, clip.bytes, 'austen.wav');
    const done = await h.waitForEnd(user, res.body.data.task_id);
    expect(done.status).toBe('completed');
    const wer = wordErrorRate(clip.reference, done.transcript as string);
    console.log(`LibriVox clip 0870 word error rate: ${(wer * 100).toFixed(1)}% ("${done.transcript as string}")`);
    expect(wer).toBeLessThan(0.6);
    expect(done.transcript).toMatch(/consider/);
  });

  it('reads the same job at /transcriptions/{id}, lists it, and deletes it', async () => {
    const user = h.newUser();
    const res = await h.upload(user, await speak('Good morning class.'), 'cours du matin é.wav');
    const id = res.body.data.task_id as string;
    await h.waitForEnd(user, id);
    const one = await request(h.app).get(`/api/v1/stt/transcriptions/${id}`).set(h.as(user));
    expect(one.status).toBe(200);
    expect(one.body.data).toMatchObject({ id, status: 'completed', filename: 'cours du matin é.wav' });
    const list = await request(h.app).get('/api/v1/stt/transcriptions').set(h.as(user));
    expect(list.body.data.map((j: { id: string }) => j.id)).toEqual([id]);
    expect(list.body.pagination.total).toBe(1);

    expect((await request(h.app).delete(`/api/v1/stt/transcriptions/${id}`).set(h.as(user))).status).toBe(200);
    expect((await request(h.app).get(`/api/v1/stt/status/${id}`).set(h.as(user))).status).toBe(404);
    expect(await h.storage.exists(`audio/${id}.wav`)).toBe(false);
  });

  it("answers 404 for another user's transcription on every route", async () => {
    const owner = h.newUser();
    const other = h.newUser();
    const res = await h.upload(owner, await speak('Private notes.'), 'private.wav');
    const id = res.body.data.task_id as string;
    for (const path of [`/api/v1/stt/status/${id}`, `/api/v1/stt/transcriptions/${id}`]) {
      const read = await request(h.app).get(path).set(h.as(other));
      expect(read.status).toBe(404);
      expect(read.body.error).toBe('NotFound');
    }
    expect((await request(h.app).delete(`/api/v1/stt/transcriptions/${id}`).set(h.as(other))).status).toBe(404);
    expect((await request(h.app).get('/api/v1/stt/transcriptions').set(h.as(other))).body.data).toEqual([]);
    expect((await request(h.app).get(`/api/v1/stt/status/${id}`).set(h.as(owner))).status).toBe(200);
  });

  it('publishes transcription.requested and transcription.completed', async () => {
    const user = h.newUser();
    const res = await h.upload(user, await speak('Events please.'), 'events.wav', { language: 'en-US' });
    const id = res.body.data.task_id as string;
    const done = await h.waitForEnd(user, id);
    const events = (await h.publishedEvents()).filter((e) => e.payload.job_id === id);
    expect(events.map((e) => e.event_type)).toEqual(['transcription.requested', 'transcription.completed']);
    expect(events[0]).toMatchObject({
      user_id: user.id,
      service: 'stt',
      payload: { filename: 'events.wav', media_format: 'wav', language: 'en-US', s3_url: `file:audio/${id}.wav` },
    });
    expect(events[1]!.payload).toMatchObject({ transcript: done.transcript, confidence: done.confidence });
  });

  it('answers 401 without an internal token', async () => {
    const res = await request(h.app).get('/api/v1/stt/transcriptions').set('X-User-ID', 'someone');
    expect(res.status).toBe(401);
  });
});
