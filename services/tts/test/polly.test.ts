import { randomBytes } from 'node:crypto';
import { PollyClient } from '@aws-sdk/client-polly';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMemoryCache, createRedis, createRedisCache } from '@learner/common/cache';
import { createS3Storage } from '@learner/common/storage';
import { requireInfra } from '@learner/common/testing';
import { createAudioService } from '../src/audio/audio-service.js';
import { createPollySpeechEngine } from '../src/engines/polly-speech-engine.js';
import { startHarness, type Harness } from './harness.js';

// Amazon Polly and S3 as the moto server emulates them, reached over real HTTP by the AWS SDK.
const endpoint = requireInfra('MOTO_ENDPOINT');
const aws = { region: 'us-east-1', endpoint, credentials: { accessKeyId: 'test', secretAccessKey: 'test' } };
const bucket = `tts-polly-${randomBytes(4).toString('hex')}`;
const storage = createS3Storage({ bucket, ...aws, createBucket: true });
const engine = createPollySpeechEngine({ client: new PollyClient({ ...aws, requestHandler: new NodeHttpHandler() }) });
const redis = createRedis(requireInfra('REDIS_URL'));
const prefix = `test:${randomBytes(4).toString('hex')}:tts:`;

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ engine, storage, cache: createRedisCache(redis, prefix) });
});
afterAll(async () => {
  await redis.del(`${prefix}voices:polly`);
  redis.disconnect();
  await h.close();
});

describe('text to speech with Amazon Polly', () => {
  it("lists Polly's voices with their engine and keeps the list in Redis for an hour", async () => {
    const res = await request(h.app).get('/api/v1/tts/voices?language=en-US').set(h.as(h.newUser()));
    expect(res.status).toBe(200);
    const voices = res.body.data.voices as Array<{ id: string; engine: string; gender: string; language: string }>;
    expect(voices.length).toBeGreaterThan(5);
    expect(voices.every((v) => v.language === 'en-US')).toBe(true);
    expect(voices.find((v) => v.id === 'Joanna')).toEqual({ id: 'Joanna', name: 'Joanna', language: 'en-US', gender: 'female', engine: 'neural', available: true });
    const ttl = await redis.ttl(`${prefix}voices:polly`);
    expect(ttl).toBeGreaterThan(3500);
    expect(ttl).toBeLessThanOrEqual(3600);
  });

  it('stores the synthesized audio in S3 and answers a presigned link to it', async () => {
    const user = h.newUser();
    const res = await request(h.app)
      .post('/api/v1/tts/synthesize')
      .set(h.as(user))
      .send({ text: 'Cells are the unit of life.', voice_id: 'Joanna', format: 'mp3' });
    expect(res.status).toBe(201);
    const audio = res.body.data;
    expect(audio).toMatchObject({ voice_id: 'Joanna', engine: 'neural', format: 'mp3', characters: 27 });
    expect(audio.audio_url).toContain(`${endpoint}/${bucket}/audio/${audio.id}.mp3`);
    expect(audio.audio_url).toContain('X-Amz-Signature=');

    const download = await fetch(audio.audio_url as string);
    expect(download.status).toBe(200);
    const stored = await storage.get(`audio/${audio.id}.mp3`);
    expect(Buffer.from(await download.arrayBuffer()).equals(stored)).toBe(true);

    const event = (await h.publishedEvents()).find((e) => e.payload.audio_id === audio.id);
    expect(event?.payload.s3_url).toBe(`s3://${bucket}/audio/${audio.id}.mp3`);

    expect((await request(h.app).delete(`/api/v1/tts/audio/${audio.id}`).set(h.as(user))).status).toBe(200);
    expect(await storage.exists(`audio/${audio.id}.mp3`)).toBe(false);
  });

  it('sends SSML with a speaking rate and reads back pcm', async () => {
    const res = await request(h.app)
      .post('/api/v1/tts/synthesize')
      .set(h.as(h.newUser()))
      .send({ ssml: '<speak>Slowly <break time="200ms"/> now.</speak>', voice_id: 'Matthew', format: 'pcm', speed: 0.8 });
    expect(res.status).toBe(201);
    expect(res.body.data).toMatchObject({ voice_id: 'Matthew', format: 'pcm', text_type: 'ssml', speed: 0.8, characters: 11 });
  });

  it('answers 400 for a voice Polly does not have, such as a local one', async () => {
    const res = await request(h.app).post('/api/v1/tts/synthesize').set(h.as(h.newUser())).send({ text: 'Hi', voice_id: 'flite-slt' });
    expect(res.status).toBe(400);
    expect(res.body.details).toHaveProperty('voice_id');
  });

  it('answers 502 when Polly cannot be reached, rather than failing unexplained', async () => {
    const unreachable = createPollySpeechEngine({
      client: new PollyClient({ ...aws, endpoint: 'http://127.0.0.1:9', maxAttempts: 1, requestHandler: new NodeHttpHandler() }),
    });
    const speech = createAudioService({ pool: h.db.pool, storage, engine: unreachable, cache: createMemoryCache() });
    await expect(speech.listVoices()).rejects.toMatchObject({ status: 502, type: 'BadGateway' });
  });
});
