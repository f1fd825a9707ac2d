import type { Pool } from '@learner/common/db';
import type { Logger } from '@learner/common/logger';
import { isRefusal, type Embedder } from './embedder.js';
import { createEmbeddingRepository, type PassageToEmbed, type StoredVector } from './embedding-repository.js';
import { unitVector } from './vectors.js';

/**
 * Turns passages into stored unit vectors. Never inside a database transaction: a batch of 32
 * takes a second or two on the local CPU server, and much longer when it is slow.
 */
/** How long a process holds the passages it is embedding before another may take them. */
const CLAIM_MS = 120_000;

export function createPassageIndexer(options: { pool: Pool; embedder: Embedder; logger: Logger; batchSize: number; claimMs?: number }) {
  const { embedder } = options;
  const claimMs = options.claimMs ?? CLAIM_MS;
  const vectors = createEmbeddingRepository(options.pool);

  const embedTexts = async (texts: string[]): Promise<Float32Array[]> =>
    (await embedder.embed(texts, 'passage')).map(unitVector);
  /** Short texts taken as questions (a document's terms, to find the passage that answers them), as its work. */
  const embedQueries = async (texts: string[]): Promise<Float32Array[]> =>
    (await embedder.embed(texts, 'query', { batch: true })).map(unitVector);

  /** Embeds one batch; a batch the model refuses is retried text by text, refused texts marked. */
  const embedBatch = async (batch: PassageToEmbed[]): Promise<StoredVector[]> => {
    try {
      const embedded = await embedTexts(batch.map((p) => p.text));
      return batch.map((p, i) => ({ passageId: p.passageId, vector: embedded[i]! }));
    } catch (err) {
      if (!isRefusal(err) || batch.length === 1) {
        if (isRefusal(err)) {
          options.logger.warn({ err, passage_id: batch[0]!.passageId }, 'the embedding model refused a passage; it stays found by full text only');
          return [{ passageId: batch[0]!.passageId, vector: new Float32Array(0) }];
        }
        throw err;
      }
      const one: StoredVector[] = [];
      for (const p of batch) one.push(...(await embedBatch([p])));
      return one;
    }
  };

  return {
    model: embedder.model,
    embedder,
    embedTexts,
    embedQueries,
    /**
     * Embeds up to `limit` passages that have no vector of the current model (of one document, or
     * any) and that no other process is embedding, stores them, and says how many it did. Rejects
     * with an EmbeddingError when the server fails; what was stored stays, the rest is handed back.
     */
    async embedMissing(limit: number, documentId?: number): Promise<number> {
      const todo = await vectors.claimMissing(embedder.model, limit, claimMs, documentId);
      let done = 0;
      try {
        for (let i = 0; i < todo.length; i += options.batchSize) {
          const stored = await embedBatch(todo.slice(i, i + options.batchSize));
          await vectors.store(embedder.model, stored);
          done += stored.length;
        }
      } catch (err) {
        await vectors.release(embedder.model, todo.slice(done).map((p) => p.passageId)).catch(() => undefined);
        throw err;
      }
      return done;
    },
    storeVectors: vectors.store,
  };
}

export type PassageIndexer = ReturnType<typeof createPassageIndexer>;
