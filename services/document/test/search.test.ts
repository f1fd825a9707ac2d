import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RequestUser } from '@learner/common/http';
import { textPdf } from './fixtures.js';
import { startHarness, upload, waitForProcessing, type Harness } from './harness.js';

let h: Harness;
let owner: RequestUser;
let cellsId: number;
let historyId: number;

const CELLS = [
  [
    'Cells come in many shapes. Some cells are long and thin, like nerve cells, while others are round.',
    'The nucleus stores the genetic material of the cell and controls which proteins are made.',
  ],
  [
    'The mitochondria produce energy for the cell. Through cellular respiration, mitochondria break down glucose and release energy stored as ATP, so the main function of mitochondria is energy production.',
    'Ribosomes assemble proteins from amino acids, reading the instructions carried by messenger RNA.',
  ],
  ['Plants make their own food by photosynthesis: chloroplasts capture sunlight and turn carbon dioxide and water into sugar.'],
];

beforeAll(async () => {
  h = await startHarness();
  owner = h.newUser();
  const cells = await upload(h, owner, await textPdf(CELLS), 'cells.pdf', { title: 'Cell biology' });
  const history = await upload(
    h,
    owner,
    Buffer.from('The industrial revolution changed how energy was produced. Steam engines burned coal.'),
    'history.txt',
    { title: 'History' },
  );
  cellsId = cells.body.data.id as number;
  historyId = history.body.data.id as number;
  await waitForProcessing(h, owner, cellsId);
  await waitForProcessing(h, owner, historyId);
});
afterAll(async () => {
  await h?.close();
});

type Hit = { document_id: number; title: string; page: number; passage_id: number; text: string; snippet: string; rank: number; similarity: number | null };

describe('searching the caller’s documents', () => {
  it('puts the passage that answers a question first, with its document, page and a highlighted snippet', async () => {
    const res = await request(h.app)
      .get('/api/v1/documents/search')
      .query({ q: 'What is the main function of the mitochondria?' })
      .set(h.as(owner));
    expect(res.status).toBe(200);
    const hits = res.body.data as Hit[];
    expect(hits.length).toBeGreaterThan(0);
    expect(hits[0]).toMatchObject({ document_id: cellsId, title: 'Cell biology', page: 2 });
    expect(hits[0]!.text).toContain('main function of mitochondria is energy production');
    expect(hits[0]!.snippet).toMatch(/<b>mitochondria<\/b>/i);
    for (let i = 1; i < hits.length; i++) expect(hits[i]!.rank).toBeLessThanOrEqual(hits[i - 1]!.rank);
  });

  it('still finds passages for a question whose words do not all appear, best match first', async () => {
    const res = await request(h.app)
      .get('/api/v1/documents/search')
      .query({ q: 'how do green plants make food from sunlight' })
      .set(h.as(owner));
    const hits = res.body.data as Hit[];
    expect(hits.length).toBeGreaterThan(0);
    expect(hits[0]).toMatchObject({ document_id: cellsId, page: 3 });
    expect(hits[0]!.text).toContain('photosynthesis');
  });

  it('restricts the search to the documents asked for and honours the limit', async () => {
    const all = await request(h.app).get('/api/v1/documents/search').query({ q: 'energy' }).set(h.as(owner));
    expect(new Set((all.body.data as Hit[]).map((x) => x.document_id))).toEqual(new Set([cellsId, historyId]));
    const onlyHistory = await request(h.app)
      .get('/api/v1/documents/search')
      .query({ q: 'energy', document_ids: String(historyId) })
      .set(h.as(owner));
    expect((onlyHistory.body.data as Hit[]).map((x) => x.document_id)).toEqual([historyId]);
    const one = await request(h.app).get('/api/v1/documents/search').query({ q: 'energy', limit: 1 }).set(h.as(owner));
    expect(one.body.data).toHaveLength(1);
  });

  it('never finds another user’s passages, even when asked for their document ids', async () => {
    const stranger = h.newUser();
    const res = await request(h.app)
      .get('/api/v1/documents/search')
      .query({ q: 'mitochondria', document_ids: `${cellsId},${historyId}` })
      .set(h.as(stranger));
    expect(res.status).toBe(200);
    expect(res.body.data).toEqual([]);
    const internal = await request(h.app).get('/internal/v1/search').query({ q: 'mitochondria' }).set(h.as(stranger));
    expect(internal.body.data).toEqual([]);
  });

  it('answers an empty list for words found nowhere, and 400 for a missing query or bad parameters', async () => {
    const none = await request(h.app).get('/api/v1/documents/search').query({ q: 'xylophone zeppelin' }).set(h.as(owner));
    expect(none.body.data).toEqual([]);
    const onlyPunctuation = await request(h.app).get('/api/v1/documents/search').query({ q: '?!' }).set(h.as(owner));
    expect(onlyPunctuation.status).toBe(200);
    expect(onlyPunctuation.body.data).toEqual([]);
    for (const query of [{}, { q: '  ' }, { q: 'cells', limit: 0 }, { q: 'cells', document_ids: 'one' }, { q: 'cells', sort: 'x' }, { q: 'cells\u0000' }]) {
      const res = await request(h.app).get('/api/v1/documents/search').query(query).set(h.as(owner));
      expect(res.status).toBe(400);
    }
  });

  it('offers the same search to other services on the internal route, which needs an internal token', async () => {
    const res = await request(h.app)
      .get('/internal/v1/search')
      .query({ q: 'What do ribosomes do?', document_ids: String(cellsId), limit: 3 })
      .set(h.as(owner));
    expect(res.status).toBe(200);
    const hits = res.body.data as Hit[];
    expect(hits[0]).toMatchObject({ document_id: cellsId, page: 2 });
    expect(hits[0]!.text).toContain('Ribosomes assemble proteins');
    expect(Object.keys(hits[0]!).sort()).toEqual(['document_id', 'page', 'passage_id', 'rank', 'similarity', 'snippet', 'text', 'title']);
    // This harness has no embedding server configured.
    expect(hits[0]!.similarity).toBeNull();
    expect(res.body.meta).toEqual({ retrieval: 'full_text', reason: 'embeddings are not configured' });
    const anonymous = await request(h.app).get('/internal/v1/search').query({ q: 'cells' }).set('x-user-id', owner.id);
    expect(anonymous.status).toBe(401);
  });

  it('stops finding a document once it is deleted', async () => {
    const user = h.newUser();
    const created = await upload(h, user, Buffer.from('Quokkas live on Rottnest Island.'), 'quokka.txt');
    const id = created.body.data.id as number;
    await waitForProcessing(h, user, id);
    const before = await request(h.app).get('/api/v1/documents/search').query({ q: 'quokkas' }).set(h.as(user));
    expect(before.body.data).toHaveLength(1);
    await request(h.app).delete(`/api/v1/documents/${id}`).set(h.as(user)).expect(200);
    const after = await request(h.app).get('/api/v1/documents/search').query({ q: 'quokkas' }).set(h.as(user));
    expect(after.body.data).toEqual([]);
  });
});
