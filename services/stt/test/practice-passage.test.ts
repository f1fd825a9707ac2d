import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDocumentService, type RunningDocumentService } from '@learner/document/testing';
import type { RequestUser } from '@learner/common/http';
import { testSecret } from '@learner/common/testing';
import { librivoxClip, startHarness, type Harness } from './harness.js';

// The expected text comes from a passage the real document service stored when it processed
// the learner's document, read through its internal passages route.
const secret = testSecret();
let documents: RunningDocumentService;
let h: Harness;
let offline: Harness;

beforeAll(async () => {
  documents = await startDocumentService({ secret });
  [h, offline] = await Promise.all([startHarness({ secret, startWorker: false, documentServiceUrl: documents.url }), startHarness({ secret, startWorker: false })]);
});
afterAll(async () => {
  await Promise.all([h.close(), offline.close()]);
  await documents.stop();
});

/** Uploads a text document, waits until it is processed, and answers its id and passages. */
async function processedDocument(user: RequestUser, text: string): Promise<{ id: number; passages: Array<{ id: number; text: string }> }> {
  const upload = await request(documents.app)
    .post('/api/v1/documents/upload')
    .set(h.tokens.headersFor(user))
    .attach('file', Buffer.from(text), { filename: 'austen.txt', contentType: 'text/plain' });
  expect(upload.status).toBe(201);
  const id = upload.body.data.id as number;
  const deadline = Date.now() + 30_000;
  for (;;) {
    const doc = await request(documents.app).get(`/api/v1/documents/${id}`).set(h.tokens.headersFor(user));
    if (doc.body.data.status === 'completed') break;
    if (doc.body.data.status === 'failed' || Date.now() > deadline) throw new Error(`document ${id} is ${doc.body.data.status}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  const passages = await request(documents.app).get(`/internal/v1/documents/${id}/passages`).set(h.tokens.headersFor(user));
  return { id, passages: passages.body.data.passages };
}

function practise(harness: Harness, user: RequestUser, bytes: Buffer, fields: Record<string, string>) {
  let req = request(harness.app).post('/api/v1/stt/practice').set(harness.as(user));
  for (const [name, value] of Object.entries(fields)) req = req.field(name, value);
  return req.attach('audio', bytes, 'reading.wav');
}

describe('POST /api/v1/stt/practice with a passage of a document', () => {
  it("scores a reading against the passage's text, and names the document and passage", async () => {
    const clip = await librivoxClip('sense_and_sensibility_01_austen_64kb-0870');
    const user = h.newUser();
    const sentence = `${clip.reference[0]!.toUpperCase()}${clip.reference.slice(1)}.`;
    const doc = await processedDocument(user, `Chapter 2\n\n${sentence}\n`);
    const passage = doc.passages.find((p) => p.text.toLowerCase().includes('dashwood'))!;
    expect(passage).toBeDefined();

    const res = await practise(h, user, clip.bytes, { document_id: String(doc.id), passage_id: String(passage.id) });
    expect(res.status).toBe(200);
    expect(res.body.data.source).toMatchObject({ type: 'passage', document_id: doc.id, passage_id: passage.id, title: 'austen' });
    expect(res.body.data.expected_text).toBe(passage.text);
    expect(res.body.data.score).toBeGreaterThan(0.85);

    // A passage id that is not one of this document's, and another learner's document: 404.
    const missing = await practise(h, user, clip.bytes, { document_id: String(doc.id), passage_id: String(passage.id + 100_000) });
    expect(missing.status).toBe(404);
    const stranger = await practise(h, h.newUser(), clip.bytes, { document_id: String(doc.id), passage_id: String(passage.id) });
    expect(stranger.status).toBe(404);
  }, 60_000);

  it('answers 503 when the document service cannot be reached', async () => {
    const clip = await librivoxClip('sense_and_sensibility_01_austen_64kb-0880');
    const res = await practise(offline, offline.newUser(), clip.bytes, { document_id: '1', passage_id: '1' });
    expect(res.status).toBe(503);
    expect(res.body.error).toBe('ServiceUnavailable');
  });
});
