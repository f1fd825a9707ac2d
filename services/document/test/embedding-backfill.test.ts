import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RequestUser } from '@learner/common/http';
import { silentLogger } from '@learner/common/logger';
import { LOCAL_EMBEDDING_MODEL } from '../src/config.js';
import { createPassageIndexer } from '../src/embeddings/passage-indexer.js';
import { localEmbedder } from '../src/testing/start-document-service.js';
import { embeddingsBaseUrl } from './embedding-test-server.js';
import { textPdf } from './fixtures.js';
import { embeddingCounts, startHarness, upload, waitForProcessing, type Harness } from './harness.js';

let before: Harness;
let after: Harness | undefined;
let owner: RequestUser;
const ids: number[] = [];


beforeAll(async () => {
  // Documents stored by a service without embeddings (as before this feature, or with them off).
  before = await startHarness();
  owner = before.newUser();
  const pages = Array.from({ length: 40 }, (_, i) => [
    `Section ${i + 1}. ${i === 17 ? 'Pheromones are chemical signals an animal releases to tell others of its species that it is ready to mate.' : `The committee met on day ${i + 1} and approved the budget for road repairs in district ${i + 1}.`}`,
  ]);
  for (const [name, bytes] of [
    ['a.pdf', await textPdf(pages.slice(0, 20))],
    ['b.pdf', await textPdf(pages.slice(20))],
  ] as const) {
    const created = await upload(before, owner, bytes, name);
    ids.push(created.body.data.id as number);
    await waitForProcessing(before, owner, created.body.data.id as number);
  }
  await before.worker?.stop();
});
afterAll(async () => {
  await after?.close();
  await before?.close();
});

describe('the embedding backfill', () => {
  // The one local server may be queueing other tests' work on this 2-core machine.
  it('embeds, without re-upload, every passage stored without a vector, in bounded batches, resuming after a restart', { timeout: 180_000 }, async () => {
    const untouched = await embeddingCounts(before, ids);
    expect(untouched).toEqual({ passages: 40, embedded: 0 });
    const noVectors = await request(before.app).get('/api/v1/documents/search').query({ q: 'pheromones' }).set(before.as(owner));
    expect(noVectors.body.meta.retrieval).toBe('full_text');

    // A first run embeds one bounded batch, then stops (a restart); the next one resumes from the table.
    const firstRun = createPassageIndexer({ pool: before.db.pool, embedder: localEmbedder(embeddingsBaseUrl()), logger: silentLogger(), batchSize: 8 });
    expect(await firstRun.embedMissing(16)).toBe(16);
    expect(await embeddingCounts(before, ids)).toEqual({ passages: 40, embedded: 16 });

    after = await startHarness({ database: before.db, embeddings: embeddingsBaseUrl() });
    const deadline = Date.now() + 150_000;
    while ((await embeddingCounts(after, ids)).embedded < 40) {
      expect(Date.now()).toBeLessThan(deadline);
      await new Promise((r) => setTimeout(r, 200));
    }

    const res = await request(after.app)
      .get('/api/v1/documents/search')
      .query({ q: 'How do creatures signal they want a partner?', limit: 3 })
      .set(after.as(owner));
    expect(res.status).toBe(200);
    expect(res.body.meta).toEqual({ retrieval: 'hybrid', model: LOCAL_EMBEDDING_MODEL });
    expect(res.body.data[0].text).toContain('Pheromones');
    expect(res.body.data[0].similarity).toEqual(expect.any(Number));
  });
});
