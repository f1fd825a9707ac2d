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

describe("one user's burst of syntheses", () => {
  it("is held to the running places and half the queue, and another user's request is taken and done before the rest of it", async () => {
    // One at a time and four waiting: the heavy user may hold three, the other two stay open.
    const fair = await startHarness({ limits: { concurrency: 1, queue: 4 } });
    try {
      const heavy = fair.newUser();
      const light = fair.newUser();
      const finished: string[] = [];
      const synthesize = (user: typeof heavy, name: string) =>
        request(fair.app)
          .post('/api/v1/tts/synthesize')
          .set(fair.as(user))
          .send({ text: LONG_TEXT, voice_id: 'flite-slt', format: 'pcm' })
          .then((res) => {
            if (res.status === 201) finished.push(name);
            return res;
          });
      const burst = Array.from({ length: 6 }, (_, i) => synthesize(heavy, `heavy-${i}`));
      // The refusals come back at once; by then the whole burst has been taken or refused.
      await waitUntilSettled(burst, 3);
      const lightAnswer = await synthesize(light, 'light');
      const heavyAnswers = await Promise.all(burst);
      expect(heavyAnswers.map((a) => a.status).sort()).toEqual([201, 201, 201, 503, 503, 503]);
      expect(lightAnswer.status).toBe(201);
      // Not behind the whole burst: done before the heavy user's last one (second when it came while the first ran).
      expect(finished.indexOf('light')).toBeLessThan(finished.length - 1);
    } finally {
      await fair.close();
    }
  });
});

/** Resolves once `count` of the requests have answered. */
async function waitUntilSettled(requests: Array<Promise<unknown>>, count: number): Promise<void> {
  let answered = 0;
  await new Promise<void>((resolve) => {
    for (const r of requests) {
      void r.finally(() => {
        answered += 1;
        if (answered === count) resolve();
      });
    }
  });
}

