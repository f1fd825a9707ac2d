import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RequestUser } from '@learner/common/http';
import { localEmbedder } from '../src/testing/start-document-service.js';
import { closedPortUrl } from './embedding-test-server.js';
import { startHarness, upload, waitForProcessing, type Harness } from './harness.js';

let h: Harness;
let owner: RequestUser;
let documentId: number;

beforeAll(async () => {
  h = await startHarness({ embeddings: localEmbedder(await closedPortUrl()) });
  owner = h.newUser();
  const text = 'Osmosis moves water across a membrane. '.repeat(4) + '\n\nDiffusion spreads molecules from high to low concentration. '.repeat(4);
  const created = await upload(h, owner, Buffer.from(text), 'cells.txt', { title: 'Cells' });
  documentId = created.body.data.id as number;
});
afterAll(async () => {
  await h?.close();
});

describe('when the embedding server is down', () => {
  it('still completes processing: text, passages and notes, without vectors', async () => {
    const doc = await waitForProcessing(h, owner, documentId);
    expect(doc.status).toBe('completed');
    const notes = await request(h.app).get(`/api/v1/documents/${documentId}/notes`).set(h.as(owner));
    expect(notes.status).toBe(200);
    const { rows } = await h.db.pool.query<{ passages: number; embedded: number }>(
      `SELECT count(*)::int AS passages, count(e.passage_id)::int AS embedded
       FROM passages p LEFT JOIN passage_embeddings e ON e.passage_id = p.id WHERE p.document_id = $1`,
      [documentId],
    );
    expect(rows[0]!.passages).toBeGreaterThan(0);
    expect(rows[0]!.embedded).toBe(0);
  });

  it('answers searches by full text, saying so in meta, every time', async () => {
    for (const path of ['/api/v1/documents/search', '/internal/v1/search', '/api/v1/documents/search']) {
      const res = await request(h.app).get(path).query({ q: 'osmosis water' }).set(h.as(owner));
      expect(res.status).toBe(200);
      expect(res.body.meta).toEqual({ retrieval: 'full_text', reason: 'the embedding server is unavailable' });
      expect(res.body.data[0]).toMatchObject({ document_id: documentId, similarity: null });
      expect(res.body.data[0].snippet).toMatch(/<b>Osmosis<\/b>/);
    }
  });

  it('reports /ready as degraded (still 200) naming embeddings as down', async () => {
    const res = await request(h.app).get('/ready');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'degraded', degraded: ['embeddings'], retrieval: { mode: 'hybrid' } });
    expect(res.body.checks.embeddings).toMatchObject({ status: 'down', error: expect.stringMatching(/could not be reached/) });
  });

  it('measures no term relatedness, without failing: a quiz is then made without it', async () => {
    const res = await request(h.app)
      .post(`/internal/v1/documents/${documentId}/relatedness`)
      .set(h.as(owner))
      .send({ terms: ['photosynthesis', 'sugar'] });
    expect(res.status).toBe(200);
    expect(res.body.data).toEqual({ model: null, relatedness: [null, null] });
  });
});
