import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from './harness.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.close());

const SENTENCE = 'Photosynthesis turns light into chemical energy.';

function isMp3(bytes: Buffer): boolean {
  return bytes.subarray(0, 3).toString('latin1') === 'ID3' || (bytes[0] === 0xff && (bytes[1]! & 0xe0) === 0xe0);
}

describe('POST /api/v1/tts/synthesize', () => {
  it('speaks a sentence with a flite voice and stores an mp3 that the signed link downloads', async () => {
    const user = h.newUser();
    const res = await request(h.app)
      .post('/api/v1/tts/synthesize')
      .set(h.as(user))
      .send({ text: SENTENCE, voice_id: 'flite-slt', format: 'mp3' });
    expect(res.status).toBe(201);
    expect(res.body.status).toBe('success');
    const audio = res.body.data;
    expect(audio).toMatchObject({ voice_id: 'flite-slt', engine: 'flite', format: 'mp3', characters: SENTENCE.length });
    expect(audio.duration_seconds).toBeGreaterThan(1.5);
    expect(audio.duration_seconds).toBeLessThan(8);
    expect(Date.parse(audio.expires_at)).toBeGreaterThan(Date.now());

    const file = await h.download(audio.audio_url);
    expect(file.status).toBe(200);
    expect(file.contentType).toBe('audio/mpeg');
    expect(isMp3(file.body)).toBe(true);
    expect(file.body.length).toBe(audio.size_bytes);
  });

  it('answers ogg_vorbis as an Ogg file and pcm as 16 kHz 16-bit samples', async () => {
    const user = h.newUser();
    const ogg = await request(h.app)
      .post('/api/v1/tts/synthesize')
      .set(h.as(user))
      .send({ text: SENTENCE, voice_id: 'flite-rms', format: 'ogg_vorbis' });
    expect(ogg.status).toBe(201);
    expect((await h.download(ogg.body.data.audio_url)).body.subarray(0, 4).toString('latin1')).toBe('OggS');

    const pcm = await request(h.app)
      .post('/api/v1/tts/synthesize')
      .set(h.as(user))
      .send({ text: SENTENCE, voice_id: 'espeak-en-US', format: 'pcm' });
    expect(pcm.status).toBe(201);
    const samples = (await h.download(pcm.body.data.audio_url)).body.length / 2;
    expect(samples / 16_000).toBeCloseTo(pcm.body.data.duration_seconds, 1);
  });

  it('reads SSML aloud and counts only the spoken characters', async () => {
    const user = h.newUser();
    const ssml = '<speak>Hello <break time="300ms"/> <emphasis>students</emphasis> &amp; teachers.</speak>';
    for (const voice_id of ['espeak-en-US', 'flite-awb']) {
      const res = await request(h.app).post('/api/v1/tts/synthesize').set(h.as(user)).send({ ssml, voice_id, format: 'mp3' });
      expect(res.status).toBe(201);
      expect(res.body.data.characters).toBe('Hello students & teachers.'.length);
      expect(res.body.data.text_type).toBe('ssml');
      expect(res.body.data.duration_seconds).toBeGreaterThan(0.5);
    }
  });

  it('makes shorter audio at a faster speed', async () => {
    const user = h.newUser();
    const durations: number[] = [];
    for (const speed of [1, 2]) {
      const res = await request(h.app)
        .post('/api/v1/tts/synthesize')
        .set(h.as(user))
        .send({ text: SENTENCE, voice_id: 'flite-slt', format: 'pcm', speed });
      expect(res.status).toBe(201);
      durations.push(res.body.data.duration_seconds);
    }
    expect(durations[1]!).toBeLessThan(durations[0]! * 0.75);
  });

  it('uses a natural English voice when no voice_id is given', async () => {
    const res = await request(h.app).post('/api/v1/tts/synthesize').set(h.as(h.newUser())).send({ text: 'Hello.' });
    expect(res.status).toBe(201);
    expect(res.body.data).toMatchObject({ voice_id: 'flite-slt', format: 'mp3' });
  });

  it('publishes audio.generation.requested with the text, voice and storage URL', async () => {
    const user = h.newUser();
    const res = await request(h.app)
      .post('/api/v1/tts/synthesize')
      .set({ ...h.as(user), 'X-Request-ID': 'req-tts-event-1' })
      .send({ text: 'An event for this one.', voice_id: 'flite-slt' });
    expect(res.status).toBe(201);
    const event = (await h.publishedEvents()).find((e) => e.payload.audio_id === res.body.data.id);
    expect(event).toMatchObject({
      event_type: 'audio.generation.requested',
      user_id: user.id,
      service: 'tts',
      payload: {
        request_id: 'req-tts-event-1',
        text: 'An event for this one.',
        voice_id: 'flite-slt',
        format: 'mp3',
        s3_url: `file:audio/${res.body.data.id}.mp3`,
      },
    });
  });

  it('answers 401 without an internal token, even with a user header', async () => {
    const res = await request(h.app).post('/api/v1/tts/synthesize').set('X-User-ID', 'someone').send({ text: 'Hi' });
    expect(res.status).toBe(401);
    expect(res.body.error).toBe('Unauthorized');
  });
});

describe('audio history', () => {
  it('lists newest first with fresh links, reads one, and deletes it with its file', async () => {
    const user = h.newUser();
    const ids: string[] = [];
    for (const text of ['First recording.', 'Second recording.']) {
      const res = await request(h.app).post('/api/v1/tts/synthesize').set(h.as(user)).send({ text, voice_id: 'espeak-en-US' });
      ids.push(res.body.data.id as string);
    }
    const list = await request(h.app).get('/api/v1/tts/audio?limit=1').set(h.as(user));
    expect(list.status).toBe(200);
    expect(list.body.pagination).toEqual({ page: 1, limit: 1, total: 2, pages: 2 });
    expect(list.body.data.map((a: { id: string }) => a.id)).toEqual([ids[1]]);

    const one = await request(h.app).get(`/api/v1/tts/audio/${ids[0]}`).set(h.as(user));
    expect(one.status).toBe(200);
    expect(one.body.data).toMatchObject({ id: ids[0], text: 'First recording.' });
    const file = await h.download(one.body.data.audio_url);
    expect(file.status).toBe(200);

    const del = await request(h.app).delete(`/api/v1/tts/audio/${ids[0]}`).set(h.as(user));
    expect(del.status).toBe(200);
    expect((await request(h.app).get(`/api/v1/tts/audio/${ids[0]}`).set(h.as(user))).status).toBe(404);
    expect((await h.download(one.body.data.audio_url)).status).toBe(404);
    const after = await request(h.app).get('/api/v1/tts/audio').set(h.as(user));
    expect(after.body.data.map((a: { id: string }) => a.id)).toEqual([ids[1]]);
  });

  it("answers 404 for another user's audio, which is missing from their history", async () => {
    const owner = h.newUser();
    const other = h.newUser();
    const res = await request(h.app).post('/api/v1/tts/synthesize').set(h.as(owner)).send({ text: 'Mine only.' });
    const id = res.body.data.id as string;
    const read = await request(h.app).get(`/api/v1/tts/audio/${id}`).set(h.as(other));
    expect(read.status).toBe(404);
    expect(read.body.error).toBe('NotFound');
    expect((await request(h.app).delete(`/api/v1/tts/audio/${id}`).set(h.as(other))).status).toBe(404);
    expect((await request(h.app).get('/api/v1/tts/audio').set(h.as(other))).body.data).toEqual([]);
    expect((await request(h.app).get(`/api/v1/tts/audio/${id}`).set(h.as(owner))).status).toBe(200);
  });

  it('answers 404 for an id that is not one', async () => {
    const res = await request(h.app).get('/api/v1/tts/audio/not-a-uuid').set(h.as(h.newUser()));
    expect(res.status).toBe(404);
  });
});
