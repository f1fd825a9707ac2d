import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RequestUser } from '@learner/common/http';
import { startChatCompletionsStandIn, type LlmStandIn } from '@learner/common/testing';
import { createOpenAiEmbedder } from '../src/embeddings/openai-embedder.js';
import { textPdf } from './fixtures.js';
import { startHarness, upload, waitForProcessing, type Harness } from './harness.js';

interface EmbeddingsBody {
  input: string[];
}

// An endpoint that refuses (400) any request holding one particular passage, as a real one does
// with a text it cannot take; no local model refuses a text, so this one is a stand-in.
let endpoint: LlmStandIn<EmbeddingsBody>;
let h: Harness;
let owner: RequestUser;
let documentId: number;

beforeAll(async () => {
  endpoint = await startChatCompletionsStandIn<EmbeddingsBody>(({ body }) =>
    body.input.some((t) => t.includes('Zanzibar'))
      ? { status: 400, body: { error: { message: 'input rejected' } } }
      : { status: 200, body: { data: body.input.map((t, index) => ({ index, embedding: [t.length % 7, 1, 2] })) } },
    'embeddings',
  );
  h = await startHarness({ embeddings: createOpenAiEmbedder({ baseUrl: endpoint.url, model: 'picky', batchSize: 32, timeoutMs: 5000 }) });
  owner = h.newUser();
  const pdf = await textPdf([['Cloves grow on Zanzibar, an island off the coast of Tanzania.'], ['Nutmeg comes from the Banda Islands.'], ['Cinnamon is the bark of a tree.']]);
  const created = await upload(h, owner, pdf, 'spices.pdf');
  documentId = created.body.data.id as number;
  await waitForProcessing(h, owner, documentId);
});
afterAll(async () => {
  await h?.close();
  await endpoint?.close();
});

describe('a passage the embedding model refuses', () => {
  it('is marked once and left to full text, while the other passages of its batch get their vectors', async () => {
    const deadline = Date.now() + 20_000;
    let rows: { page: number; bytes: number | null }[] = [];
    while (Date.now() < deadline) {
      ({ rows } = await h.db.pool.query<{ page: number; bytes: number | null }>(
        `SELECT p.page, length(e.embedding) AS bytes FROM passages p LEFT JOIN passage_embeddings e ON e.passage_id = p.id
         WHERE p.document_id = $1 ORDER BY p.page`,
        [documentId],
      ));
      if (rows.every((r) => r.bytes !== null)) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(rows).toEqual([
      { page: 1, bytes: 0 },
      { page: 2, bytes: 12 },
      { page: 3, bytes: 12 },
    ]);
    const asked = endpoint.requests.length;
    await new Promise((r) => setTimeout(r, 600));
    expect(endpoint.requests.filter((r) => r.method === 'POST')).toHaveLength(asked);

    const res = await request(h.app).get('/api/v1/documents/search').query({ q: 'cloves island' }).set(h.as(owner));
    expect(res.status).toBe(200);
    expect(res.body.meta).toEqual({ retrieval: 'hybrid', model: 'picky' });
    expect(res.body.data[0]).toMatchObject({ page: 1, similarity: null });
    expect(res.body.data[1].similarity).toEqual(expect.any(Number));
  });

  it('a search text the model refuses is answered by full text, saying why', async () => {
    const res = await request(h.app).get('/api/v1/documents/search').query({ q: 'Zanzibar' }).set(h.as(owner));
    expect(res.status).toBe(200);
    expect(res.body.meta).toEqual({ retrieval: 'full_text', reason: 'the embedding model refused this search text' });
    expect(res.body.data[0]).toMatchObject({ page: 1, similarity: null });
  });
});
