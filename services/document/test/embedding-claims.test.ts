import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '@learner/common/logger';
import { createEmbeddingRepository } from '../src/embeddings/embedding-repository.js';
import { createPassageIndexer } from '../src/embeddings/passage-indexer.js';
import { localEmbedder } from '../src/testing/start-document-service.js';
import { embeddingsBaseUrl } from './embedding-test-server.js';
import { textPdf } from './fixtures.js';
import { embeddingCounts, startHarness, upload, waitForProcessing, type Harness } from './harness.js';

/**
 * Replicas of the document service over one database each run the embedding backfill: a passage
 * is embedded by one of them, never by two, and one that stops mid-batch holds its passages only
 * until its claim runs out.
 */
let h: Harness;
const ids: number[] = [];


beforeAll(async () => {
  // Stored without embeddings, so every passage waits for the backfill.
  h = await startHarness();
  const owner = h.newUser();
  const pages = Array.from({ length: 24 }, (_, i) => [`Section ${i + 1}. The council met on day ${i + 1} and voted on the repairs of bridge ${i + 1}.`]);
  for (const [name, part] of [
    ['a.pdf', pages.slice(0, 12)],
    ['b.pdf', pages.slice(12)],
  ] as const) {
    const created = await upload(h, owner, await textPdf(part), name);
    ids.push(created.body.data.id as number);
    await waitForProcessing(h, owner, created.body.data.id as number);
  }
  await h.worker?.stop();
}, 120_000);
afterAll(async () => {
  await h?.close();
});

describe('the embedding backfill on several replicas', () => {
  it('embeds each passage once when replicas backfill at the same time, and takes back the passages of a replica that stopped once its claim runs out', { timeout: 180_000 }, async () => {
    expect(await embeddingCounts(h, ids)).toEqual({ passages: 24, embedded: 0 });
    const replica = () => createPassageIndexer({ pool: h.db.pool, embedder: localEmbedder(embeddingsBaseUrl()), logger: silentLogger(), batchSize: 4 });

    // A replica claims six passages and stops before storing any (its claim lasts 1.5 s).
    const stopped = await createEmbeddingRepository(h.db.pool).claimMissing(replica().model, 6, 1_500);
    expect(stopped).toHaveLength(6);

    // Three replicas backfill at once: together they embed every other passage, each once.
    const counts = await Promise.all([replica(), replica(), replica()].map((r) => r.embedMissing(24)));
    expect(counts.reduce((a, b) => a + b, 0)).toBe(18);
    expect(await embeddingCounts(h, ids)).toEqual({ passages: 24, embedded: 18 });

    // The stopped replica's passages are another's once its claim has run out.
    await new Promise((r) => setTimeout(r, 1_600));
    expect(await replica().embedMissing(24)).toBe(6);
    expect(await embeddingCounts(h, ids)).toEqual({ passages: 24, embedded: 24 });
    expect(await replica().embedMissing(24)).toBe(0);
  });
});
