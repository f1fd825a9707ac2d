import { randomBytes } from 'node:crypto';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createS3Storage } from '@learner/common/storage';
import { infraEnv, startStallingProxy, waitFor } from '@learner/common/testing';
import { speak, startHarness, type Harness } from './harness.js';

// The recordings are kept in S3 (moto) reached through a proxy the test makes stall, as a hung
// endpoint does; S3 requests give up after one second here.
let proxy: Awaited<ReturnType<typeof startStallingProxy>>;
let h: Harness;
let audio: Buffer;

beforeAll(async () => {
  const moto = new URL(infraEnv().MOTO_ENDPOINT ?? 'http://127.0.0.1:4566');
  proxy = await startStallingProxy({ host: moto.hostname, port: Number(moto.port) });
  const storage = createS3Storage({
    bucket: `stt-outage-${randomBytes(4).toString('hex')}`,
    region: 'us-east-1',
    endpoint: proxy.url,
    credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' },
    createBucket: true,
    requestTimeoutMs: 1_000,
  });
  h = await startHarness({ startWorker: false, storage });
  audio = await speak('Cells need energy.');
});

afterAll(async () => {
  await h?.close();
  await proxy?.close();
});

describe('a transcription whose recording cannot be read because storage hangs', () => {
  it('waits for storage without counting the try, and completes once it answers', async () => {
    const user = h.newUser();
    const res = await h.upload(user, audio, 'lecture.wav');
    expect(res.status).toBe(202);
    const id = res.body.data.task_id as string;
    const status = async (): Promise<string> =>
      (await request(h.app).get(`/api/v1/stt/status/${id}`).set(h.as(user))).body.data.status as string;

    proxy.stall();
    // One try allowed: a try counted against the recording would fail it for good.
    const worker = h.newWorker({ maxAttempts: 1, retryDelaySeconds: 1 });
    worker.start();
    try {
      await waitFor('the worker to take the job', async () => ((await status()) === 'in_progress' ? true : undefined));
      await waitFor('the worker to give the job back', async () => ((await status()) !== 'in_progress' ? true : undefined));
      expect(await status()).toBe('queued');
      proxy.resume();
      const done = await h.waitForEnd(user, id);
      expect(done.status).toBe('completed');
      expect(done.transcript).toMatch(/energy/);
    } finally {
      await worker.stop();
    }
  });
});
