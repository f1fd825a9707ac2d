import { randomBytes } from 'node:crypto';
import { createServer, type AddressInfo } from 'node:net';
import { GetTranscriptionJobCommand, StartTranscriptionJobCommand, TranscribeClient } from '@aws-sdk/client-transcribe';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createS3Storage } from '@learner/common/storage';
import { requireInfra } from '@learner/common/testing';
import { createTranscribeRecognizer } from '../src/recognizers/transcribe-recognizer.js';
import { speak, startHarness, type Harness } from './harness.js';
import { transcribeOutput } from './transcribe-output.js';

// Amazon Transcribe and S3 as the moto server emulates them, over real HTTP through the AWS SDK.
// moto runs the job's life cycle but writes no transcript, so each test puts in the bucket the
// JSON that Transcribe would write, before the worker looks for it.
const endpoint = requireInfra('MOTO_ENDPOINT');
const aws = { region: 'us-east-1', endpoint, credentials: { accessKeyId: 'test', secretAccessKey: 'test' } };
const bucket = `stt-transcribe-${randomBytes(4).toString('hex')}`;
const storage = createS3Storage({ bucket, ...aws, createBucket: true });
const client = new TranscribeClient(aws);

let h: Harness;
let audio: Buffer;
beforeAll(async () => {
  h = await startHarness({
    startWorker: false,
    storage,
    recognizer: createTranscribeRecognizer({ client, storage, bucket, pollMs: 20 }),
  });
  audio = await speak('Welcome to biology.');
});
afterAll(() => h.close());

async function writeTranscript(id: string): Promise<void> {
  const body = Buffer.from(JSON.stringify(transcribeOutput(`learner-stt-${id}`)));
  await storage.put(`transcripts/${id}.json`, body, { contentType: 'application/json' });
}

describe('transcription with Amazon Transcribe', () => {
  it('starts a job on the audio in S3 with speaker labels, polls it, and reads the transcript with speakers', async () => {
    const user = h.newUser();
    const res = await h.upload(user, audio, 'seminar.wav', { speaker_labels: 'true' });
    expect(res.status).toBe(202);
    expect(res.body.data).toMatchObject({ engine: 'transcribe', speaker_labels: true });
    const id = res.body.data.task_id as string;
    expect(await storage.exists(`audio/${id}.wav`)).toBe(true);
    await writeTranscript(id);

    const worker = h.newWorker();
    worker.start();
    const done = await h.waitForEnd(user, id).finally(() => worker.stop());
    expect(done).toMatchObject({ status: 'completed', transcript: 'Welcome to biology. Thank you, professor.' });
    expect(done.segments).toEqual([
      { start: 0.1, end: 1.2, speaker: 'spk_0', text: 'Welcome to biology.', confidence: 0.953 },
      { start: 1.4, end: 2.5, speaker: 'spk_1', text: 'Thank you, professor.', confidence: 0.92 },
    ]);
    expect(done.confidence).toBeCloseTo((0.98 * 4 + 0.9 + 0.8) / 6, 3);

    // The transcript is in the database now; Transcribe's copy in the bucket is gone.
    expect(await storage.exists(`transcripts/${id}.json`)).toBe(false);

    const { TranscriptionJob: job } = await client.send(new GetTranscriptionJobCommand({ TranscriptionJobName: `learner-stt-${id}` }));
    expect(job).toMatchObject({
      LanguageCode: 'en-US',
      Media: { MediaFileUri: `s3://${bucket}/audio/${id}.wav` },
      Settings: { ShowSpeakerLabels: true },
    });
  });

  it('goes on polling a job that a worker had started before it stopped', async () => {
    const user = h.newUser();
    const res = await h.upload(user, audio, 'restarted.wav', { language: 'en-GB' });
    const id = res.body.data.task_id as string;
    await client.send(
      new StartTranscriptionJobCommand({
        TranscriptionJobName: `learner-stt-${id}`,
        LanguageCode: 'en-GB',
        Media: { MediaFileUri: `s3://${bucket}/audio/${id}.wav` },
        OutputBucketName: bucket,
        OutputKey: `transcripts/${id}.json`,
      }),
    );
    await writeTranscript(id);

    const worker = h.newWorker();
    worker.start();
    const done = await h.waitForEnd(user, id).finally(() => worker.stop());
    expect(done).toMatchObject({ status: 'completed', language: 'en-GB' });
  });

  it('removes the audio and Transcribe\'s transcript file when a transcription is deleted', async () => {
    const user = h.newUser();
    const id = (await h.upload(user, audio, 'lecture.wav')).body.data.task_id as string;
    // Transcribe has written its transcript, and the worker has not read it yet.
    await writeTranscript(id);
    const deleted = await request(h.app).delete(`/api/v1/stt/transcriptions/${id}`).set(h.as(user));
    expect(deleted.status).toBe(200);
    expect(await storage.exists(`audio/${id}.wav`)).toBe(false);
    expect(await storage.exists(`transcripts/${id}.json`)).toBe(false);
  });

  it('accepts languages the local engine lacks and refuses what is not a Transcribe language code', async () => {
    const user = h.newUser();
    expect((await h.upload(user, audio, 'cours.wav', { language: 'fr-FR' })).status).toBe(202);
    for (const language of ['fr', 'zz-ZZ']) {
      const refused = await h.upload(user, audio, 'cours.wav', { language });
      expect(refused.status).toBe(400);
      expect(refused.body.details).toHaveProperty('language');
    }
  });
});

describe('the readiness check of the Transcribe recognizer', () => {
  it('passes while Transcribe and the bucket answer, and fails naming the cause when Transcribe does not', async () => {
    await expect(createTranscribeRecognizer({ client, storage, bucket }).check()).resolves.toBeUndefined();

    // A port nothing listens on: Transcribe is down while the bucket still answers.
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const { port } = closed.address() as AddressInfo;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const unreachable = new TranscribeClient({ ...aws, endpoint: `http://127.0.0.1:${port}`, maxAttempts: 1 });
    await expect(createTranscribeRecognizer({ client: unreachable, storage, bucket }).check()).rejects.toThrow(/ECONNREFUSED/);
  });
});
