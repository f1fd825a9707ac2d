import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, upload, waitForProcessing, type Harness } from './harness.js';

/**
 * The processing queue when one user uploaded many documents before another user's one: the
 * worker (one document at a time) takes users in turn, so the other user's document does not wait
 * for the whole backlog.
 */
let h: Harness;

beforeAll(async () => {
  h = await startHarness({ worker: { concurrency: 1 } });
});

afterAll(async () => {
  await h?.close();
});

const text = (n: number): Buffer => Buffer.from(`Document ${n}. Osmosis moves water across a membrane towards the side with more solute.`);

describe('processing under one heavy user', () => {
  it("processes another user's document, uploaded after the heavy user's four, right after the first of them", async () => {
    const heavy = h.newUser();
    const light = h.newUser();
    // Everything is queued before the worker looks, as when it is busy with a long document.
    await h.worker!.stop();
    const heavyIds: number[] = [];
    for (let n = 0; n < 4; n++) {
      const res = await upload(h, heavy, text(n), `heavy-${n}.txt`);
      expect(res.status).toBe(201);
      heavyIds.push(res.body.data.id as number);
    }
    const lightUpload = await upload(h, light, text(9), 'light.txt');
    expect(lightUpload.status).toBe(201);
    const lightId = lightUpload.body.data.id as number;
    h.worker!.start();

    const owners: Array<[number, typeof heavy]> = [...heavyIds.map((id): [number, typeof heavy] => [id, heavy]), [lightId, light]];
    const processed = await Promise.all(
      owners.map(async ([id, user]) => {
        const doc = await waitForProcessing(h, user, id);
        return { id, status: doc.status, processedAt: String(doc.processed_at) };
      }),
    );
    expect(processed.map((d) => d.status)).toEqual(Array(5).fill('completed'));
    const order = processed.sort((a, b) => a.processedAt.localeCompare(b.processedAt) || a.id - b.id).map((d) => d.id);
    expect(order).toEqual([heavyIds[0], lightId, ...heavyIds.slice(1)]);
  });
});
