import { PDFDocument, StandardFonts } from 'pdf-lib';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scannedPdfPage, wordRecall } from './fixtures.js';
import { startHarness, upload, waitForProcessing, type Harness } from './harness.js';

const SCANNED = [
  'The French Revolution began in 1789 and ended the absolute monarchy in France.',
  'Its ideas of liberty, equality and fraternity spread across Europe in the following decades.',
];
const TYPED = 'This first page has a real text layer about the causes of the revolution, such as debt and hunger.';

let h: Harness;

beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.close();
});

describe('reading scanned pages and images with tesseract', () => {
  it('keeps the text layer of a typed page and reads a scanned page with OCR, most words right', async () => {
    const { pdfDoc } = await scannedPdfPage(SCANNED);
    // Put a typed page in front of the scan: only the scan needs OCR.
    const typed = pdfDoc.insertPage(0, [612, 792]);
    typed.drawText(TYPED, { x: 40, y: 700, size: 10, font: await pdfDoc.embedFont(StandardFonts.Helvetica) });
    const pdf = Buffer.from(await pdfDoc.save());

    const user = h.newUser();
    const created = await upload(h, user, pdf, 'history-scan.pdf');
    const id = created.body.data.id as number;
    const doc = await waitForProcessing(h, user, id, 90_000);
    expect(doc).toMatchObject({ status: 'completed', pages: 2 });

    const text = await request(h.app).get(`/api/v1/documents/${id}/text`).set(h.as(user));
    const [first, second] = text.body.data.pages as { page: number; text: string; method: string }[];
    expect(first).toMatchObject({ page: 1, method: 'text', text: TYPED });
    expect(second!.method).toBe('ocr');
    expect(wordRecall(SCANNED.join(' '), second!.text)).toBeGreaterThan(0.9);

    const hits = await request(h.app).get('/api/v1/documents/search').query({ q: 'liberty equality fraternity' }).set(h.as(user));
    expect(hits.body.data[0]).toMatchObject({ document_id: id, page: 2 });
    const events = await h.db.pool.query<{ payload: { payload: { ocr_pages: number } } }>(
      "SELECT payload FROM outbox WHERE topic = 'document.processed' AND payload->'payload'->>'document_id' = $1",
      [String(id)],
    );
    expect(events.rows[0]!.payload.payload.ocr_pages).toBe(1);
  });

  it('reads the text of an uploaded PNG image', async () => {
    const { png } = await scannedPdfPage([SCANNED[0]!]);
    const user = h.newUser();
    const created = await upload(h, user, png, 'photo-of-page.png');
    expect(created.body.data.file_type).toBe('png');
    const doc = await waitForProcessing(h, user, created.body.data.id as number, 90_000);
    expect(doc).toMatchObject({ status: 'completed', pages: 1 });
    const text = await request(h.app).get(`/api/v1/documents/${doc.id as number}/text`).set(h.as(user));
    expect(wordRecall(SCANNED[0]!, text.body.data.pages[0].text as string)).toBeGreaterThan(0.9);
  });

  it('marks an image without any text as failed with a readable message', async () => {
    const blank = await PDFDocument.create();
    blank.addPage([200, 200]);
    const user = h.newUser();
    const created = await upload(h, user, Buffer.from(await blank.save()), 'blank.pdf');
    const doc = await waitForProcessing(h, user, created.body.data.id as number, 60_000);
    expect(doc).toMatchObject({ status: 'failed', error: 'No readable text was found in this document' });
  });
});
