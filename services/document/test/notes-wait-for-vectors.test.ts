import { createServer, type Server } from 'node:http';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RequestUser } from '@learner/common/http';
import { LOCAL_EMBEDDING_MODEL } from '../src/config.js';
import { createOpenAiEmbedder } from '../src/embeddings/openai-embedder.js';
import { createExtractiveNotes } from '../src/notes/extractive-notes.js';
import { embeddingsBaseUrl } from './embedding-test-server.js';
import { startHarness, upload, waitForProcessing, type Harness } from './harness.js';

/**
 * How long the notes may work; the passages' vectors take longer than that to come. Well above the
 * thread's own work, its start included (1.9 s once on a loaded two-core machine, past a 1.5 s limit).
 */
const NOTES_TIME_LIMIT_MS = 4000;
const PASSAGES_DELAY_MS = 9000;
/** How long a search waits for its question's vector; questions take longer than that to come. */
const SEARCH_DEADLINE_MS = 500;
const QUESTIONS_DELAY_MS = 1000;

const TEXT = [
  'Erosion is the wearing away of rock and soil by water, wind and ice. Rivers carry the eroded material downstream.',
  'Sediment refers to the particles of rock, sand and silt that water carries. Deposition is the laying down of sediment where the water slows.',
  'A delta is a landform built from sediment where a river meets the sea. Deltas grow as each flood leaves more silt behind.',
  'A floodplain is the flat land beside a river that floods cover. Farmers value floodplains because each flood renews the soil.',
].join('\n\n');

let h: Harness;
let passThrough: Server;
let owner: RequestUser;
const asked: string[] = [];
/** The requests whose caller was still waiting when their answer came. */
const answered: string[] = [];
/** The requests whose caller went away before their answer came. */
const givenUp: string[] = [];

// The real local embedding server behind a pass-through that holds each request for a while, as a
// server busy with other documents does.
beforeAll(async () => {
  const real = new URL(embeddingsBaseUrl()).origin;
  passThrough = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const kind = body.length ? ((JSON.parse(body.toString('utf8')) as { input_type?: string }).input_type ?? 'passage') : 'none';
      asked.push(kind);
      res.on('close', () => {
        if (!res.writableFinished) givenUp.push(kind);
      });
      setTimeout(
        () => {
          void fetch(`${real}${req.url}`, { method: req.method, headers: { 'content-type': 'application/json' }, ...(body.length ? { body } : {}) }).then(
            async (answer) => {
              const bytes = Buffer.from(await answer.arrayBuffer());
              if (!res.destroyed) answered.push(kind);
              res.writeHead(answer.status, { 'content-type': 'application/json' }).end(bytes);
            },
            () => res.writeHead(502).end(),
          );
        },
        kind === 'passage' ? PASSAGES_DELAY_MS : kind === 'query' ? QUESTIONS_DELAY_MS : 0,
      );
    });
  });
  await new Promise<void>((resolve) => passThrough.listen(0, '127.0.0.1', resolve));
  const { port } = passThrough.address() as { port: number };
  h = await startHarness({
    notes: createExtractiveNotes({ timeoutMs: NOTES_TIME_LIMIT_MS }),
    embeddings: createOpenAiEmbedder({
      baseUrl: `http://127.0.0.1:${port}/v1`,
      model: LOCAL_EMBEDDING_MODEL,
      inputType: true,
      batchSize: 32,
      timeoutMs: 60_000,
      queryTimeoutMs: SEARCH_DEADLINE_MS,
    }),
  });
  owner = h.newUser();
}, 60_000);
afterAll(async () => {
  await h?.close();
  await new Promise<void>((resolve) => passThrough?.close(() => resolve()));
});

let id: number;

describe('a document whose passages wait longer for their vectors than its notes may take', () => {
  it('is completed with its notes, its key terms weighed by the vectors once they came', { timeout: 60_000 }, async () => {
    const created = await upload(h, owner, Buffer.from(TEXT), 'rivers.txt', { title: 'Rivers' });
    expect(created.status).toBe(201);
    id = created.body.data.id as number;

    const doc = await waitForProcessing(h, owner, id, 45_000);
    expect(doc.status).toBe('completed');

    const notes = await request(h.app).get(`/api/v1/documents/${id}/notes`).set(h.as(owner));
    expect(notes.status).toBe(200);
    const keyTerms = (notes.body.data as { kind: string; items: { term?: string }[] }[]).find((n) => n.kind === 'key_terms');
    expect(keyTerms?.items.map((t) => t.term)).toEqual(expect.arrayContaining(['erosion', 'sediment', 'deposition']));
    // The notes asked how closely a passage answers each term once the passages were embedded, and
    // waited for the answer though it took longer than a search waits.
    expect(asked.indexOf('query')).toBeGreaterThan(asked.indexOf('passage'));
    expect(answered).toEqual(['passage', 'query']);

    const { rows } = await h.db.pool.query<{ passages: number; embedded: number }>(
      `SELECT count(*)::int AS passages, count(e.passage_id)::int AS embedded
       FROM passages p LEFT JOIN passage_embeddings e ON e.passage_id = p.id WHERE p.document_id = $1`,
      [id],
    );
    expect(rows[0]!.passages).toBeGreaterThan(0);
    expect(rows[0]!.embedded).toBe(rows[0]!.passages);
  });

  it('gives up measuring its terms when the quiz stops waiting, not holding the embedding server to a batch deadline', { timeout: 30_000 }, async () => {
    const before = { asked: asked.length, answered: answered.length, givenUp: givenUp.length };
    // The quiz waits a quarter of the time the embedding server takes to answer.
    await expect(
      request(h.app)
        .post(`/internal/v1/documents/${id}/relatedness`)
        .set(h.as(owner))
        .send({ terms: ['floodplain', 'silt'] })
        .timeout(QUESTIONS_DELAY_MS / 4),
    ).rejects.toMatchObject({ timeout: QUESTIONS_DELAY_MS / 4 });
    await new Promise((resolve) => setTimeout(resolve, QUESTIONS_DELAY_MS * 2));
    expect(asked.slice(before.asked)).toEqual(['query']);
    expect(givenUp.slice(before.givenUp)).toEqual(['query']);
    expect(answered.slice(before.answered)).toEqual([]);
  });

  it('measures its terms for a quiz though that takes longer than a search waits, and a search then ranks by full text', { timeout: 30_000 }, async () => {
    const measured = await request(h.app)
      .post(`/internal/v1/documents/${id}/relatedness`)
      .set(h.as(owner))
      .send({ terms: ['delta', 'photosynthesis'] });
    expect(measured.status).toBe(200);
    const [delta, photosynthesis] = measured.body.data.relatedness as number[];
    expect(delta).toBeGreaterThan(photosynthesis!);

    const search = await request(h.app).get('/api/v1/documents/search').query({ q: 'where rivers meet the sea' }).set(h.as(owner));
    expect(search.status).toBe(200);
    expect(search.body.meta).toEqual({ retrieval: 'full_text', reason: 'the embedding server is unavailable' });
  });

});
