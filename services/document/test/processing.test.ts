import request from 'supertest';
import { beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '@learner/common/logger';
import { createTesseractOcr } from '../src/ocr/tesseract-ocr.js';
import { createProcessingWorker } from '../src/processing/processing-worker.js';
import { createTextExtractor } from '../src/processing/text-extractor.js';
import { encryptedPdf, textPdf } from './fixtures.js';
import { upload, waitForProcessing, type Harness, useBusyAndIdleHarnesses } from './harness.js';

const PAGES = [
  ['Chapter one introduces the mitochondria. The mitochondrion is the powerhouse of the cell.'],
  ['Chapter two is about plants. Photosynthesis converts light energy into chemical energy stored in glucose.'],
  ['Chapter three covers genetics. Deoxyribonucleic acid carries the genetic instructions of living things.'],
];


const harnesses = useBusyAndIdleHarnesses();
let h: Harness;
let idle: Harness;
beforeAll(() => {
  h = harnesses.busy();
  idle = harnesses.idle();
});

async function processedEvents(db: Harness['db'], id: number) {
  const { rows } = await db.pool.query<{ payload: { payload: Record<string, unknown> } }>(
    "SELECT payload FROM outbox WHERE topic = 'document.processed' AND payload->'payload'->>'document_id' = $1 ORDER BY id",
    [String(id)],
  );
  return rows.map((r) => r.payload.payload);
}

describe('processing a document after upload', () => {
  it('extracts a multi-page PDF by itself, with each known sentence on its own page', async () => {
    const user = h.newUser();
    const created = await upload(h, user, await textPdf(PAGES), 'biology.pdf');
    const id = created.body.data.id as number;
    const doc = await waitForProcessing(h, user, id);
    expect(doc).toMatchObject({ status: 'completed', pages: 3, error: null });
    expect(doc.text_length).toBeGreaterThan(200);

    const text = await request(h.app).get(`/api/v1/documents/${id}/text`).set(h.as(user));
    expect(text.status).toBe(200);
    const pages = (text.body.data.pages as { page: number; text: string }[]).map((p) => ({
      ...p,
      text: p.text.replace(/\s+/g, ' '),
    }));
    expect(pages.map((p) => p.page)).toEqual([1, 2, 3]);
    expect(pages[0]!.text).toContain('The mitochondrion is the powerhouse of the cell.');
    expect(pages[1]!.text).toContain('Photosynthesis converts light energy into chemical energy stored in glucose.');
    expect(pages[2]!.text).toContain('Deoxyribonucleic acid carries the genetic instructions of living things.');
    expect(pages[1]!.text).not.toContain('mitochondrion');

    const second = await request(h.app).get(`/api/v1/documents/${id}/text?page=2`).set(h.as(user));
    expect(second.body.data.pages).toHaveLength(1);
    expect(second.body.data.pages[0].page).toBe(2);
    expect((await request(h.app).get(`/api/v1/documents/${id}/text?page=4`).set(h.as(user))).status).toBe(404);
    expect((await request(h.app).get(`/api/v1/documents/${id}/text?page=x`).set(h.as(user))).status).toBe(400);

    const events = await processedEvents(h.db, id);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ document_id: id, pages_processed: 3, text_length: doc.text_length });
    expect(typeof events[0]!.duration).toBe('number');
  });

  it('reads a text file as one page', async () => {
    const user = h.newUser();
    const body = 'Osmosis is the movement of water across a membrane.\n\nIt needs no energy.';
    const created = await upload(h, user, Buffer.from(body), 'osmosis.txt');
    const doc = await waitForProcessing(h, user, created.body.data.id as number);
    expect(doc).toMatchObject({ status: 'completed', pages: 1, text_length: body.length });
  });

  it('marks a corrupt PDF as failed with a readable message, and keeps serving', async () => {
    const user = h.newUser();
    const corrupt = Buffer.concat([Buffer.from('%PDF-1.7\n1 0 obj\n<< /Type /Catalog'), Buffer.alloc(300, 0x41)]);
    const created = await upload(h, user, corrupt, 'broken.pdf');
    expect(created.status).toBe(201);
    const doc = await waitForProcessing(h, user, created.body.data.id as number);
    expect(doc.status).toBe('failed');
    expect(doc.error).toMatch(/could not be read as a PDF/);
    const text = await request(h.app).get(`/api/v1/documents/${doc.id as number}/text`).set(h.as(user));
    expect(text.status).toBe(409);
    expect((await request(h.app).get('/health')).status).toBe(200);
  });

  it('marks a password-protected PDF as failed, saying it is encrypted', async () => {
    const user = h.newUser();
    const created = await upload(h, user, encryptedPdf(), 'locked.pdf');
    expect(created.body.data.file_type).toBe('pdf');
    const doc = await waitForProcessing(h, user, created.body.data.id as number);
    expect(doc.status).toBe('failed');
    expect(doc.error).toMatch(/encrypted \(password-protected\)/);
  });

  it('processes again on POST /process, answering 202 with where to poll', async () => {
    const user = h.newUser();
    const created = await upload(h, user, await textPdf([PAGES[0]!]), 'again.pdf');
    const id = created.body.data.id as number;
    await waitForProcessing(h, user, id);
    const again = await request(h.app).post(`/api/v1/documents/${id}/process`).set(h.as(user));
    expect(again.status).toBe(202);
    expect(again.body.data).toMatchObject({ id, status_url: `/api/v1/documents/${id}` });
    expect(['uploaded', 'processing', 'completed']).toContain(again.body.data.status);
    await new Promise((r) => setTimeout(r, 50));
    const doc = await waitForProcessing(h, user, id);
    expect(doc.status).toBe('completed');
    await expect.poll(async () => (await processedEvents(h.db, id)).length, { timeout: 10_000 }).toBe(2);
  });

  it('answers 409 for the text while a document waits to be processed', async () => {
    const user = idle.newUser();
    const created = await upload(idle, user, Buffer.from('Waiting text.'), 'wait.txt');
    const res = await request(idle.app).get(`/api/v1/documents/${created.body.data.id as number}/text`).set(idle.as(user));
    expect(res.status).toBe(409);
    expect(res.body.details).toEqual({ status: 'uploaded' });
  });

  it('finishes, after a restart, a document whose worker died while processing it', async () => {
    const user = idle.newUser();
    const created = await upload(idle, user, Buffer.from('Left behind by a crash. Finished after the restart.'), 'crash.txt');
    const id = created.body.data.id as number;
    // What a worker of the previous process left behind: claimed, lease run out, never finished.
    await idle.db.pool.query(
      "UPDATE documents SET status = 'processing', attempts = 1, lease_until = now() - interval '1 second' WHERE id = $1",
      [id],
    );
    const during = await request(idle.app).get(`/api/v1/documents/${id}`).set(idle.as(user));
    expect(during.body.data.status).toBe('processing');

    const restarted = createProcessingWorker({
      pool: idle.db.pool,
      storage: idle.storage,
      extractor: createTextExtractor({ ocr: createTesseractOcr({ timeoutMs: 10_000 }) }),
      logger: silentLogger(),
      pollMs: 100,
    });
    restarted.start();
    try {
      const doc = await waitForProcessing(idle, user, id, 20_000);
      expect(doc).toMatchObject({ status: 'completed', pages: 1 });
      expect((await processedEvents(idle.db, id)).length).toBe(1);
    } finally {
      await restarted.stop();
    }
  });

  it('gives up on a document whose processing was interrupted too many times, with a readable error', async () => {
    const user = h.newUser();
    const created = await upload(h, user, Buffer.from('Keeps crashing the worker.'), 'poison.txt');
    const id = created.body.data.id as number;
    await waitForProcessing(h, user, id);
    // As if three workers in a row had died on it.
    await h.db.pool.query(
      "UPDATE documents SET status = 'processing', attempts = 3, lease_until = now() - interval '1 second' WHERE id = $1",
      [id],
    );
    h.worker!.wake();
    const doc = await waitForProcessing(h, user, id);
    expect(doc.status).toBe('failed');
    expect(doc.error).toMatch(/interrupted too many times/);
  });
});
