import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from './harness.js';

let h: Harness;
beforeAll(async () => {
  // One synthesis at a time and one waiting: a third caller meanwhile is turned away.
  h = await startHarness({ limits: { concurrency: 1, queue: 1 } });
});
afterAll(() => h.close());

// Long enough that the first synthesis is still running when the other two arrive.
const LONG_TEXT = 'The mitochondria turn glucose and oxygen into energy the cell can use. '.repeat(10);

describe('more syntheses at once than the service runs and queues', () => {
  it('finishes the ones it can take and tells the rest at once to come back later', async () => {
    const user = h.newUser();
    const synthesize = () =>
      request(h.app).post('/api/v1/tts/synthesize').set(h.as(user)).send({ text: LONG_TEXT, voice_id: 'flite-slt', format: 'pcm' });
    const answers = await Promise.all([synthesize(), synthesize(), synthesize()]);
    expect(answers.map((a) => a.status).sort()).toEqual([201, 201, 503]);
    const busy = answers.find((a) => a.status === 503)!;
    expect(busy.headers['retry-after']).toBe('5');
    expect(busy.body).toMatchObject({ error: 'ServiceUnavailable', details: { retry_after: 5 }, request_id: expect.any(String) });

    // The two that ran are stored; the one turned away left nothing behind, and the service is free again.
    const history = await request(h.app).get('/api/v1/tts/audio').set(h.as(user));
    expect(history.body.pagination.total).toBe(2);
    expect((await synthesize()).status).toBe(201);
  });
});
