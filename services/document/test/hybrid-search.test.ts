import { LOCAL_EMBEDDING_MODEL } from '../src/config.js';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RequestUser } from '@learner/common/http';
import { createSearchRepository } from '../src/search/search-repository.js';
import { embeddingsBaseUrl } from './embedding-test-server.js';
import { textPdf } from './fixtures.js';
import { startHarness, upload, waitForProcessing, type Harness } from './harness.js';

let h: Harness;
let owner: RequestUser;
let documentId: number;

const PAGES = [
  ['Photosynthesis lets green plants turn sunlight, water and carbon dioxide into sugar, releasing oxygen as a by-product of the reaction in their leaves.'],
  ['The French Revolution began in 1789, when the Estates-General met at Versailles and the Third Estate declared itself a National Assembly.'],
  ['Pheromones are chemical signals released by an animal that change the behaviour of other members of its species, for example announcing that it is ready to mate.'],
  ['Central banks raise interest rates to slow inflation: borrowing money becomes more expensive for households and firms, so spending falls.'],
];
/** None of its words (nor their stems) is in the document. */
const REWORDED = 'What smells do beasts give off to attract a partner?';

type Hit = { document_id: number; page: number; passage_id: number; text: string; snippet: string; rank: number; similarity: number | null };

beforeAll(async () => {
  h = await startHarness({ embeddings: embeddingsBaseUrl() });
  owner = h.newUser();
  const created = await upload(h, owner, await textPdf(PAGES), 'mixed.pdf', { title: 'Mixed notes' });
  documentId = created.body.data.id as number;
  await waitForProcessing(h, owner, documentId);
});
afterAll(async () => {
  await h?.close();
});

describe('hybrid search with the local embedding server', () => {
  it('stores a vector of the model for every passage when the document is processed', async () => {
    const { rows } = await h.db.pool.query<{ passages: number; embedded: number; models: string[]; bytes: number }>(
      `SELECT count(*)::int AS passages, count(e.passage_id)::int AS embedded, array_agg(DISTINCT e.model) AS models,
              max(length(e.embedding))::int AS bytes
       FROM passages p LEFT JOIN passage_embeddings e ON e.passage_id = p.id WHERE p.document_id = $1`,
      [documentId],
    );
    expect(rows[0]).toEqual({ passages: 4, embedded: 4, models: [LOCAL_EMBEDDING_MODEL], bytes: 384 * 4 });
  });

  it('finds a passage by meaning for a question that shares none of its words, where full text finds nothing', async () => {
    const fullText = await createSearchRepository(h.db.pool).search(owner.id, REWORDED, { limit: 10 });
    expect(fullText).toEqual([]);

    const res = await request(h.app).get('/api/v1/documents/search').query({ q: REWORDED, limit: 2 }).set(h.as(owner));
    expect(res.status).toBe(200);
    expect(res.body.meta).toEqual({ retrieval: 'hybrid', model: LOCAL_EMBEDDING_MODEL });
    const hits = res.body.data as Hit[];
    expect(hits[0]).toMatchObject({ document_id: documentId, page: 3, title: 'Mixed notes' });
    expect(hits[0]!.text).toContain('Pheromones are chemical signals');
    expect(hits[0]!.snippet).toContain('Pheromones');
    expect(hits[0]!.similarity).toBeGreaterThan(hits[1]!.similarity!);
  });

  it('keeps the full-text best first when the words match, each hit with its similarity, on the internal route too', async () => {
    const res = await request(h.app)
      .get('/internal/v1/search')
      .query({ q: 'interest rates inflation', document_ids: String(documentId), limit: 4 })
      .set(h.as(owner));
    expect(res.status).toBe(200);
    expect(res.body.meta.retrieval).toBe('hybrid');
    const hits = res.body.data as Hit[];
    expect(hits).toHaveLength(4);
    expect(hits[0]).toMatchObject({ page: 4 });
    expect(hits[0]!.snippet).toMatch(/<b>interest<\/b> <b>rates<\/b>/i);
    for (const hit of hits) expect(hit.similarity).toEqual(expect.any(Number));
    for (let i = 1; i < hits.length; i++) expect(hits[i]!.rank).toBeLessThanOrEqual(hits[i - 1]!.rank);
  });

  it('finds only the caller’s own passages by vector', async () => {
    const stranger = h.newUser();
    const res = await request(h.app).get('/api/v1/documents/search').query({ q: REWORDED }).set(h.as(stranger));
    expect(res.status).toBe(200);
    expect(res.body.data).toEqual([]);
  });

  it('says on /ready that search is hybrid, with the embedding model up', async () => {
    const res = await request(h.app).get('/ready');
    expect(res.status).toBe(200);
    expect(res.body.status).toBe('ready');
    expect(res.body.checks.embeddings.status).toBe('up');
    expect(res.body.retrieval).toMatchObject({ mode: 'hybrid', model: LOCAL_EMBEDDING_MODEL, vector_scoring: expect.stringMatching(/in-service/) });
  });

  it('measures how closely a passage of a document answers each term, for a quiz to weigh its key terms by', async () => {
    const ask = (user: RequestUser, id: number, body: unknown) =>
      request(h.app).post(`/internal/v1/documents/${id}/relatedness`).set(h.as(user)).send(body as object);
    const res = await ask(owner, documentId, { terms: ['pheromones', 'interest rates', 'volcanic eruption'] });
    expect(res.status).toBe(200);
    expect(res.body.data.model).toBe(LOCAL_EMBEDDING_MODEL);
    const [pheromones, rates, volcano] = res.body.data.relatedness as number[];
    expect(pheromones).toBeGreaterThan(volcano!);
    expect(rates).toBeGreaterThan(volcano!);

    // And how alike in meaning the terms are, for a quiz to set a term beside those of its kind.
    const alike = await ask(owner, documentId, { terms: ['pheromones', 'hormones', 'interest rates', 'inflation'] });
    const likeness = alike.body.data.likeness as number[][];
    expect(likeness).toHaveLength(4);
    for (const [i, row] of likeness.entries()) {
      expect(row).toHaveLength(4);
      expect(row[i]).toBeCloseTo(1, 2);
      for (const [j, value] of row.entries()) expect(value).toBe(likeness[j]![i]);
    }
    const [pheromonesRow, , ratesRow] = likeness;
    expect(pheromonesRow![1]).toBeGreaterThan(Math.max(pheromonesRow![2]!, pheromonesRow![3]!));
    expect(ratesRow![3]).toBeGreaterThan(Math.max(ratesRow![0]!, ratesRow![1]!));

    expect((await ask(h.newUser(), documentId, { terms: ['pheromones'] })).status).toBe(404);
    for (const bad of [{}, { terms: [] }, { terms: [''] }, { terms: Array.from({ length: 201 }, () => 'a') }, { terms: ['a'], more: 1 }]) {
      const refused = await ask(owner, documentId, bad);
      expect(refused.status).toBe(400);
      expect(refused.body.error).toEqual(expect.any(String));
    }
  });
});
