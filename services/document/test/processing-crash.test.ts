import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Pool, PoolClient } from '@learner/common/db';
import { silentLogger } from '@learner/common/logger';
import { createExtractiveNotes } from '../src/notes/extractive-notes.js';
import { createTesseractOcr } from '../src/ocr/tesseract-ocr.js';
import { createProcessingWorker } from '../src/processing/processing-worker.js';
import { createTextExtractor } from '../src/processing/text-extractor.js';
import { documentPassages } from '../src/search/passages.js';
import { startHarness, upload, waitForProcessing, type Harness } from './harness.js';

/** Passages a transaction: a small document is written in many batches, as a large one is. */
const WRITE_BATCH = { passages: 8, chars: 1_000_000 };

const TOPICS = ['volcanoes', 'glaciers', 'rivers', 'deserts', 'forests', 'oceans', 'mountains', 'wetlands'];
/** Paragraphs on numbered topics; the last names a word nothing else does, written in the last batch. */
const TEXT = [
  ...Array.from({ length: 90 }, (_, i) => {
    const topic = TOPICS[i % TOPICS.length]!;
    return `Section ${i + 1} describes ${topic}. The ${topic} of region ${i + 1} shape the land around them over many thousands of years, and geographers measure how quickly they change.`;
  }),
  'The closing section is about the axolotl, a salamander that keeps its gills for its whole life.',
].join('\n\n');

/**
 * The pool of a process that stops dead after it committed `afterBatches` transactions writing
 * passages: from then on none of its queries reaches the database or ever answers (its lease is
 * no longer renewed), as for a process killed at that moment. `kill` settles them with an error.
 */
function dyingPool(pool: Pool, afterBatches: number) {
  let committed = 0;
  let dead = false;
  let died!: () => void;
  const death = new Promise<void>((resolve) => (died = resolve));
  let gone = false;
  const hung: ((err: Error) => void)[] = [];
  const hang = (): Promise<never> =>
    gone ? Promise.reject(new Error('the process is gone')) : new Promise((_, reject) => hung.push(reject));
  const wrapClient = (client: PoolClient): PoolClient => {
    let writingPassages = false;
    return new Proxy(client, {
      get(target, prop, receiver) {
        if (prop !== 'query') return Reflect.get(target, prop, receiver) as unknown;
        return async (text: string, values?: unknown[]) => {
          if (dead) return hang();
          if (typeof text === 'string' && text.trim().startsWith('INSERT INTO passages')) writingPassages = true;
          const result = await target.query(text, values);
          if (text === 'COMMIT' && writingPassages && ++committed === afterBatches) {
            dead = true;
            died();
          }
          return result;
        };
      },
    });
  };
  const dying = new Proxy(pool, {
    get(target, prop, receiver) {
      if (prop === 'query') return (text: string, values?: unknown[]) => (dead ? hang() : target.query(text, values));
      if (prop === 'connect') return async () => (dead ? hang() : wrapClient(await target.connect()));
      return Reflect.get(target, prop, receiver) as unknown;
    },
  });
  return {
    pool: dying,
    death,
    kill() {
      gone = true;
      for (const reject of hung.splice(0)) reject(new Error('the process is gone'));
    },
  };
}

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ worker: false });
});
afterAll(async () => {
  await h?.close();
});

const workerOn = (pool: Pool) =>
  createProcessingWorker({
    pool,
    storage: h.storage,
    extractor: createTextExtractor({ ocr: createTesseractOcr({ timeoutMs: 10_000 }) }),
    notes: createExtractiveNotes(),
    logger: silentLogger(),
    pollMs: 50,
    leaseMs: 600,
    writeBatch: WRITE_BATCH,
  });

async function storedPassages(id: number) {
  const { rows } = await h.db.pool.query<{ page: number; position: number; text: string }>(
    'SELECT page, position, text FROM passages WHERE document_id = $1 ORDER BY page, position, id',
    [id],
  );
  return rows;
}

describe('a worker that dies while it stores a document’s passages', () => {
  it('leaves nothing anyone can see, and the next worker stores the document once, whole', async () => {
    const user = h.newUser();
    const created = await upload(h, user, Buffer.from(TEXT), 'landforms.txt', { title: 'Landforms' });
    const id = created.body.data.id as number;
    const expected = documentPassages([{ page: 1, text: TEXT }]);
    expect(expected.length).toBeGreaterThan(4 * WRITE_BATCH.passages);

    const first = dyingPool(h.db.pool, 2);
    const dying = workerOn(first.pool);
    dying.start();
    await first.death;

    // Two batches stored, the document still in processing: no read shows any of them.
    expect((await storedPassages(id)).length).toBe(2 * WRITE_BATCH.passages);
    const during = await request(h.app).get(`/api/v1/documents/${id}`).set(h.as(user));
    expect(during.body.data.status).toBe('processing');
    const text = await request(h.app).get(`/api/v1/documents/${id}/text`).set(h.as(user));
    expect(text.status).toBe(409);
    const early = await request(h.app).get('/api/v1/documents/search').query({ q: 'glaciers of region 2' }).set(h.as(user));
    expect(early.status).toBe(200);
    expect(early.body.data).toEqual([]);

    // The next worker takes the document over once the dead one's lease runs out.
    const next = workerOn(h.db.pool);
    next.start();
    try {
      const doc = await waitForProcessing(h, user, id, 30_000);
      expect(doc).toMatchObject({ status: 'completed', pages: 1 });
      const { rows: claims } = await h.db.pool.query<{ attempts: number }>('SELECT attempts FROM documents WHERE id = $1', [id]);
      expect(claims[0]!.attempts).toBe(2);

      // Every passage once, as one clean processing cuts them.
      const stored = await storedPassages(id);
      expect(stored.map((p) => [p.page, p.position, p.text])).toEqual(expected.map((p) => [p.page, p.position, p.text]));
      const passages = await request(h.app).get(`/internal/v1/documents/${id}/passages`).set(h.as(user));
      expect(passages.body.data.passages).toHaveLength(expected.length);

      const found = await request(h.app).get('/api/v1/documents/search').query({ q: 'axolotl salamander gills' }).set(h.as(user));
      expect(found.body.data).toHaveLength(1);
      expect(found.body.data[0].text).toContain('axolotl');
      const notes = await request(h.app).get(`/api/v1/documents/${id}/notes`).set(h.as(user));
      expect(notes.status).toBe(200);
      expect(new Set((notes.body.data as { kind: string }[]).map((n) => n.kind)).size).toBe(notes.body.data.length);
      const events = await h.db.pool.query(
        "SELECT 1 FROM outbox WHERE topic = 'document.processed' AND payload->'payload'->>'document_id' = $1",
        [String(id)],
      );
      expect(events.rowCount).toBe(1);
    } finally {
      first.kill();
      await Promise.all([dying.stop(), next.stop()]);
    }
    // The dead worker wrote nothing after it stopped.
    expect(await storedPassages(id)).toHaveLength(expected.length);
  });
});
