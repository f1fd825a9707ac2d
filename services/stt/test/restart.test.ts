import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTranscriptionRepository } from '../src/transcriptions/transcription-repository.js';
import { speak, startHarness, type Harness } from './harness.js';

// The service is started without its worker, so jobs wait as they would across a restart. Each
// test stops the workers it starts, so the next test's job is not taken by an earlier one.
let h: Harness;
let audio: Buffer;
beforeAll(async () => {
  h = await startHarness({ startWorker: false });
  audio = await speak('Cells need energy.');
});
afterAll(() => h.close());

async function statusOf(user: ReturnType<Harness['newUser']>, id: string): Promise<string> {
  const res = await request(h.app).get(`/api/v1/stt/status/${id}`).set(h.as(user));
  return res.body.data.status as string;
}

describe('transcription jobs across a restart', () => {
  it('finishes a job queued before the service stopped once a new worker starts', async () => {
    const user = h.newUser();
    const res = await h.upload(user, audio, 'queued.wav');
    const id = res.body.data.task_id as string;
    expect(await statusOf(user, id)).toBe('queued');

    const worker = h.newWorker();
    worker.start();
    const done = await h.waitForEnd(user, id).finally(() => worker.stop());
    expect(done.status).toBe('completed');
    expect(done.transcript).toMatch(/energy/);
  });

  it('takes over a job whose worker died holding it, once the lease runs out', async () => {
    const user = h.newUser();
    const res = await h.upload(user, audio, 'orphan.wav');
    const id = res.body.data.task_id as string;
    // A worker that claimed the job with a one-second lease and then vanished without a word.
    const claimed = await createTranscriptionRepository(h.db.pool).claimNext(1_000);
    expect(claimed?.id).toBe(id);
    expect(await statusOf(user, id)).toBe('in_progress');

    const worker = h.newWorker();
    worker.start();
    const done = await h.waitForEnd(user, id).finally(() => worker.stop());
    expect(done.status).toBe('completed');
    expect(done.transcript).toMatch(/energy/);
  });

  it('hands a job in progress back to the queue when the worker stops, and a new one finishes it', async () => {
    const user = h.newUser();
    const res = await h.upload(user, audio, 'interrupted.wav');
    const id = res.body.data.task_id as string;

    const first = h.newWorker({ leaseMs: 600_000 });
    first.start();
    const deadline = Date.now() + 20_000;
    while ((await statusOf(user, id)) !== 'in_progress') {
      if (Date.now() > deadline) throw new Error('the first worker never started the job');
      await new Promise((r) => setTimeout(r, 20));
    }
    await first.stop();
    // Loading the recognizer's model alone takes longer than this, so the engine was killed mid-run.
    expect(await statusOf(user, id)).toBe('queued');

    const second = h.newWorker({ leaseMs: 600_000 });
    second.start();
    const done = await h.waitForEnd(user, id).finally(() => second.stop());
    expect(done.status).toBe('completed');
  });
});
