import { randomBytes } from 'node:crypto';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { speak, startHarness, type Harness } from './harness.js';

let h: Harness;
let small: Harness;
let speech: Buffer;
beforeAll(async () => {
  [h, small] = await Promise.all([startHarness(), startHarness({ maxFileSize: 20_000, startWorker: false })]);
  speech = await speak('Hello class.');
});
afterAll(() => Promise.all([h.close(), small.close()]));

/** A WAV header the type check accepts, followed by bytes no decoder can read. */
function brokenWav(): Buffer {
  const header = Buffer.alloc(12);
  header.write('RIFF', 0, 'latin1');
  header.writeUInt32LE(4000, 4);
  header.write('WAVE', 8, 'latin1');
  return Buffer.concat([header, Buffer.from('fmt ', 'latin1'), randomBytes(3000)]);
}

async function expectNothingStored(harness: Harness, user: ReturnType<Harness['newUser']>): Promise<void> {
  const list = await request(harness.app).get('/api/v1/stt/transcriptions').set(harness.as(user));
  expect(list.body.pagination.total).toBe(0);
}

describe('uploads that are refused at once', () => {
  it('answers 415 for a file that is not audio, whatever its name says', async () => {
    const user = h.newUser();
    for (const [bytes, name] of [
      [Buffer.from('just some lecture notes, not audio'), 'notes.mp3'],
      [Buffer.from('%PDF-1.4\n%âãÏÓ\n1 0 obj\n<<>>\nendobj\n', 'latin1'), 'slides.wav'],
      [randomBytes(2048), 'noise.flac'],
    ] as const) {
      const res = await h.upload(user, bytes, name);
      expect(res.status).toBe(415);
      expect(res.body).toMatchObject({ error: 'UnsupportedMediaType', request_id: expect.any(String) });
    }
    await expectNothingStored(h, user);
  });

  it('answers 413 for a file over the size limit', async () => {
    const user = small.newUser();
    const res = await small.upload(user, Buffer.concat([speech, speech, speech]), 'long.wav');
    expect(res.status).toBe(413);
    expect(res.body.error).toBe('PayloadTooLarge');
    await expectNothingStored(small, user);
  });

  it('answers 400 when the audio field is missing, misnamed or empty', async () => {
    const user = h.newUser();
    const none = await request(h.app).post('/api/v1/stt/transcribe').set(h.as(user)).field('language', 'en-US');
    expect(none.status).toBe(400);
    expect(none.body.details).toHaveProperty('audio');
    const misnamed = await request(h.app).post('/api/v1/stt/transcribe').set(h.as(user)).attach('file', speech, 'a.wav');
    expect(misnamed.status).toBe(400);
    const empty = await h.upload(user, Buffer.alloc(0), 'empty.wav');
    expect(empty.status).toBe(400);
    const json = await request(h.app).post('/api/v1/stt/transcribe').set(h.as(user)).send({ audio: 'base64?' });
    expect(json.status).toBe(400);
    await expectNothingStored(h, user);
  });

  it('answers 400, not 500, for a multipart body that cannot be read, on both recording routes', async () => {
    const user = h.newUser();
    const boundary = 'a4de7862c5d91eb84334e076ddff8ae8';
    const oddName = Buffer.concat([
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="`),
      Buffer.from([0xf2, 0xb0, 0xa0, 0xaa, 0x16]),
      Buffer.from(`"\r\n\r\n{}\r\n--${boundary}--\r\n`),
    ]);
    for (const path of ['/api/v1/stt/transcribe', '/api/v1/stt/practice']) {
      const unreadable = [
        request(h.app).post(path).set(h.as(user)).set('content-type', 'multipart/form-data'),
        request(h.app).post(path).set(h.as(user)).set('content-type', `multipart/form-data; boundary=${boundary}`).send(`--${boundary}\r\n15047124--${boundary}--\r\n`),
        request(h.app).post(path).set(h.as(user)).set('content-type', `multipart/form-data; boundary=${boundary}`).send(oddName),
      ];
      for (const res of await Promise.all(unreadable)) {
        expect(res.status).toBe(400);
        expect(res.body).toMatchObject({ error: 'ValidationError', message: 'The upload form could not be read: it is incomplete or malformed' });
      }
    }
    await expectNothingStored(h, user);
  });

  it.each([
    ['a language that is not a tag', { language: 'English!' }, 'language'],
    ['a language the local engine does not have', { language: 'fr-FR' }, 'language'],
    ['speaker_labels that is not a boolean', { speaker_labels: 'maybe' }, 'speaker_labels'],
    ['an unknown field', { diarize: 'true' }, 'diarize'],
  ])('answers 400 for %s', async (_name, fields, field) => {
    const user = h.newUser();
    const res = await h.upload(user, speech, 'hello.wav', fields);
    expect(res.status).toBe(400);
    expect(res.body.error).toBe('ValidationError');
    expect(Object.keys(res.body.details)).toContain(field);
    await expectNothingStored(h, user);
  });

  it('answers 400 for a page out of range', async () => {
    const res = await request(h.app).get('/api/v1/stt/transcriptions?page=0').set(h.as(h.newUser()));
    expect(res.status).toBe(400);
  });
});

describe('audio that passes the type check but does not decode', () => {
  it('ends as failed with a reason', async () => {
    const user = h.newUser();
    const res = await h.upload(user, brokenWav(), 'broken.wav');
    expect(res.status).toBe(202);
    const done = await h.waitForEnd(user, res.body.data.task_id);
    expect(done).toMatchObject({ status: 'failed', error: 'The file could not be decoded as audio', transcript: null });
  });
});
