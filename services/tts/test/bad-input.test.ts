import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from './harness.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.close());

const cases: Array<[string, unknown, string]> = [
  ['an unknown voice', { text: 'Hello', voice_id: 'nobody' }, 'voice_id'],
  ['empty text', { text: '', voice_id: 'flite-slt' }, 'text'],
  ['text of only spaces', { text: '   \n ', voice_id: 'flite-slt' }, 'text'],
  ['text over 3000 characters', { text: 'a'.repeat(3001), voice_id: 'flite-slt' }, 'text'],
  ['neither text nor ssml', { voice_id: 'flite-slt' }, 'text'],
  ['both text and ssml', { text: 'Hi', ssml: '<speak>Hi</speak>', voice_id: 'flite-slt' }, 'ssml'],
  ['SSML that is not well-formed', { ssml: '<speak>Hello <break></speak>', voice_id: 'espeak-en-US' }, 'ssml'],
  ['SSML whose root is not <speak>', { ssml: '<voice>Hello</voice>', voice_id: 'espeak-en-US' }, 'ssml'],
  ['SSML that plays a file of the server', { ssml: '<speak>Hi <audio src="/etc/hostname"/></speak>', voice_id: 'espeak-en-US' }, 'ssml'],
  ['SSML naming a file of the server as an entity', { ssml: '<!DOCTYPE speak [<!ENTITY e SYSTEM "file:///etc/hostname">]><speak>&e;</speak>', voice_id: 'espeak-en-US' }, 'ssml'],
  ['SSML declaring entities', { ssml: '<!DOCTYPE speak [<!ENTITY a "ha">]><speak>&a;&a;</speak>', voice_id: 'flite-slt' }, 'ssml'],
  ['text holding a NUL character', { text: 'Hello\u0000there', voice_id: 'flite-slt' }, 'text'],
  ['SSML with no text', { ssml: '<speak><break time="1s"/></speak>', voice_id: 'espeak-en-US' }, 'ssml'],
  ['SSML speaking over 3000 characters', { ssml: `<speak>${'b'.repeat(3001)}</speak>`, voice_id: 'flite-slt' }, 'ssml'],
  ['an unknown format', { text: 'Hello', voice_id: 'flite-slt', format: 'wav' }, 'format'],
  ['a speed out of range', { text: 'Hello', voice_id: 'flite-slt', speed: 5 }, 'speed'],
  ['a speed that is not a number', { text: 'Hello', voice_id: 'flite-slt', speed: 'fast' }, 'speed'],
  ['an unknown field', { text: 'Hello', voice_id: 'flite-slt', pitch: 3 }, 'pitch'],
  ['text that is not a string', { text: 42, voice_id: 'flite-slt' }, 'text'],
];

describe('synthesis requests that cannot be served', () => {
  it.each(cases)('answers 400 naming the field for %s, and stores nothing', async (_name, body, field) => {
    const user = h.newUser();
    const res = await request(h.app).post('/api/v1/tts/synthesize').set(h.as(user)).send(body as object);
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ error: 'ValidationError', request_id: expect.any(String), timestamp: expect.any(String) });
    expect(Object.keys(res.body.details)).toContain(field);
    const history = await request(h.app).get('/api/v1/tts/audio').set(h.as(user));
    expect(history.body.pagination.total).toBe(0);
  });

  it('answers 400 for a body that is not JSON', async () => {
    const res = await request(h.app)
      .post('/api/v1/tts/synthesize')
      .set(h.as(h.newUser()))
      .set('Content-Type', 'application/json')
      .send('{"text": "unterminated');
    expect(res.status).toBe(400);
    expect(res.body.error).toBe('ValidationError');
  });

  it('answers 400 for a page out of range in the history', async () => {
    const res = await request(h.app).get('/api/v1/tts/audio?limit=101').set(h.as(h.newUser()));
    expect(res.status).toBe(400);
    expect(res.body.details).toHaveProperty('limit');
  });

  it('publishes no event for a refused request', async () => {
    const user = h.newUser();
    await request(h.app).post('/api/v1/tts/synthesize').set(h.as(user)).send({ text: 'Hello', voice_id: 'nobody' });
    expect((await h.publishedEvents()).filter((e) => e.user_id === user.id)).toEqual([]);
  });
});
