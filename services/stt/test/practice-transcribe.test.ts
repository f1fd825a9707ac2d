import { randomBytes } from 'node:crypto';
import { GetTranscriptionJobCommand, TranscribeClient } from '@aws-sdk/client-transcribe';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createS3Storage, type ObjectStorage } from '@learner/common/storage';
import { requireInfra } from '@learner/common/testing';
import { createTranscribeRecognizer } from '../src/recognizers/transcribe-recognizer.js';
import { speak, startHarness, type Harness } from './harness.js';
import { transcribeOutput } from './transcribe-output.js';

// Read-aloud practice through Amazon Transcribe and S3 as the moto server emulates them. moto
// runs the job but writes no transcript, so the bucket gets the JSON Transcribe would write as
// soon as the recording is stored: the one thing this test stands in for.
const endpoint = requireInfra('MOTO_ENDPOINT');
const aws = { region: 'us-east-1', endpoint, credentials: { accessKeyId: 'test', secretAccessKey: 'test' } };
const bucket = `stt-practice-${randomBytes(4).toString('hex')}`;
const s3 = createS3Storage({ bucket, ...aws, createBucket: true });
const client = new TranscribeClient(aws);
const practiceIds: string[] = [];
const storage: ObjectStorage = {
  ...s3,
  async put(key, body, options) {
    await s3.put(key, body, options);
    const id = /^practice\/([0-9a-f-]{36})\.\w+$/.exec(key)?.[1];
    if (!id) return;
    practiceIds.push(id);
    const transcript = Buffer.from(JSON.stringify(transcribeOutput(`learner-stt-${id}`)));
    await s3.put(`transcripts/${id}.json`, transcript, { contentType: 'application/json' });
  },
};

let h: Harness;
let audio: Buffer;
beforeAll(async () => {
  h = await startHarness({ startWorker: false, storage, recognizer: createTranscribeRecognizer({ client, storage, bucket, pollMs: 20 }) });
  audio = await speak('Welcome to biology.');
});
afterAll(() => h.close());

function practise(text: string, language?: string) {
  let req = request(h.app).post('/api/v1/stt/practice').set(h.as(h.newUser())).field('text', text);
  if (language) req = req.field('language', language);
  return req.attach('audio', audio, 'reading.wav');
}

describe('POST /api/v1/stt/practice with Amazon Transcribe', () => {
  it('transcribes the recording from S3 and scores it against the text with the times Transcribe gives', async () => {
    // Transcribe hears: "Welcome to biology. Thank you, professor."
    const res = await practise('Welcome to chemistry. Thank you, professor.');
    expect(res.status).toBe(200);
    expect(res.body.data).toMatchObject({ engine: 'transcribe', language: 'en-US', counts: { right: 5, misread: 1, missed: 0, added: 0 } });
    expect(res.body.data.score).toBeCloseTo(5 / 6, 3);
    expect(res.body.data.words[2]).toEqual({ expected: 'chemistry', heard: 'biology', status: 'misread', start: 0.6, end: 1.2, confidence: 0.9 });
    expect(res.body.data.words[5]).toMatchObject({ expected: 'professor', heard: 'professor', status: 'right', start: 1.9, end: 2.5 });

    const id = practiceIds.at(-1)!;
    const { TranscriptionJob: job } = await client.send(new GetTranscriptionJobCommand({ TranscriptionJobName: `learner-stt-${id}` }));
    expect(job).toMatchObject({ LanguageCode: 'en-US', Media: { MediaFileUri: `s3://${bucket}/practice/${id}.wav` } });
    // Neither the recording nor Transcribe's transcript stays in the bucket.
    expect(await s3.exists(`practice/${id}.wav`)).toBe(false);
    expect(await s3.exists(`transcripts/${id}.json`)).toBe(false);
  });

  it('counts words heard that are not in the text as added', async () => {
    const res = await practise('Welcome to biology.');
    expect(res.body.data.counts).toEqual({ right: 3, missed: 0, added: 3, misread: 0, unchecked: 0 });
    expect(res.body.data.score).toBeCloseTo(3 / 6, 3);
  });

  it('takes the languages Transcribe takes', async () => {
    expect((await practise('Bienvenue en biologie.', 'fr-FR')).status).toBe(200);
    expect((await practise('Bienvenue.', 'zz-ZZ')).status).toBe(400);
  });
});
