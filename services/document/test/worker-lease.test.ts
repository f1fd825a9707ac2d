import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '@learner/common/logger';
import type { OcrEngine } from '../src/ocr/ocr-engine.js';
import { createProcessingWorker } from '../src/processing/processing-worker.js';
import { createTextExtractor } from '../src/processing/text-extractor.js';
import { ONE_PIXEL_PNG } from './fixtures.js';
import { startHarness, upload, waitForProcessing, type Harness } from './harness.js';

/** An OCR engine that takes its time, so that a short lease would run out many times over. */
function slowOcr(calls: { count: number }): OcrEngine {
  return {
    name: 'tesseract',
    async image() {
      calls.count += 1;
      await new Promise((r) => setTimeout(r, 1500));
      return 'A slow page about tides. The moon pulls the oceans and the tides follow it.';
    },
    pdfPages: () => Promise.resolve(new Map()),
    check: () => Promise.resolve(),
  };
}

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ worker: false });
});
afterAll(async () => {
  await h?.close();
});

describe('two workers sharing the documents table', () => {
  it('process a long job once: the worker holding it keeps renewing its lease', async () => {
    const calls = { count: 0 };
    const workers = [1, 2].map(() =>
      createProcessingWorker({
        pool: h.db.pool,
        storage: h.storage,
        extractor: createTextExtractor({ ocr: slowOcr(calls) }),
        logger: silentLogger(),
        pollMs: 50,
        leaseMs: 300,
      }),
    );
    for (const w of workers) w.start();
    try {
      const user = h.newUser();
      const created = await upload(h, user, ONE_PIXEL_PNG, 'tides.png');
      const doc = await waitForProcessing(h, user, created.body.data.id as number, 20_000);
      expect(doc).toMatchObject({ status: 'completed', pages: 1 });
      expect(calls.count).toBe(1);
      const events = await h.db.pool.query(
        "SELECT 1 FROM outbox WHERE topic = 'document.processed' AND payload->'payload'->>'document_id' = $1",
        [String(doc.id)],
      );
      expect(events.rowCount).toBe(1);
    } finally {
      await Promise.all(workers.map((w) => w.stop()));
    }
  });
});
