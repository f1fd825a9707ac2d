import { withTransaction, type Pool, type PoolClient } from '@learner/common/db';
import { createDocumentRepository, type DocumentRecord, type PageText } from '../documents/document-repository.js';
import type { PassageIndexer } from '../embeddings/passage-indexer.js';
import type { Passage } from '../search/passages.js';
import { createSearchRepository } from '../search/search-repository.js';

/** How much one write transaction of processing may carry. */
export interface WriteBatchLimits {
  /** Passages (with their vectors) in one transaction. */
  passages: number;
  /** Characters of text in one transaction; a single longer page or passage still goes alone. */
  chars: number;
}

/**
 * About a tenth of a second of the embedded database's one connection per batch (250 passages of
 * a 10 MB document, with their full-text index entries), so that other users' queries get their
 * turn between batches instead of waiting seconds behind one transaction.
 */
export const DEFAULT_WRITE_BATCH: WriteBatchLimits = { passages: 250, chars: 256 * 1024 };

/** Consecutive runs of `items`, each within the limits by count and by `size` (at least one item each). */
export function batches<T>(items: T[], limits: { count: number; size: number }, sizeOf: (item: T) => number): T[][] {
  const runs: T[][] = [];
  let run: T[] = [];
  let size = 0;
  for (const item of items) {
    const itemSize = sizeOf(item);
    if (run.length > 0 && (run.length >= limits.count || size + itemSize > limits.size)) {
      runs.push(run);
      run = [];
      size = 0;
    }
    run.push(item);
    size += itemSize;
  }
  if (run.length > 0) runs.push(run);
  return runs;
}

export interface ProcessingResults {
  pages: PageText[];
  passages: Passage[];
  /** One per passage, in order; absent when the passages were not embedded. */
  vectors?: Float32Array[] | undefined;
}

/**
 * Stores what processing made of a document in short transactions: what an earlier attempt left is
 * removed, then pages and passages (with their vectors) are written in bounded batches, and last
 * `finish` (the notes, the status, the event) runs in one small transaction. Each transaction first
 * locks the document under the worker's claim, so a worker that lost its claim (the document
 * deleted, processed again, or taken over after its lease ran out) writes nothing more. Until the
 * last transaction the document is in processing, and every read of pages, passages and vectors
 * asks for completed documents: nobody sees half of it, and a run after a crash starts clean.
 */
export function createResultWriter(options: { pool: Pool; embeddings?: PassageIndexer | undefined; limits?: WriteBatchLimits }) {
  const { pool, embeddings } = options;
  const limits = options.limits ?? DEFAULT_WRITE_BATCH;
  const documents = createDocumentRepository(pool);
  const search = createSearchRepository(pool);

  /** Runs `work` in a transaction holding the claim; false (nothing done) when the claim was lost. */
  const underClaim = (doc: DocumentRecord, work: (tx: PoolClient) => Promise<unknown>): Promise<boolean> =>
    withTransaction(pool, async (tx) => {
      if (!(await documents.lockClaim(doc.id, doc.attempts, tx))) return false;
      await work(tx);
      return true;
    });

  /** Removes the passages an earlier attempt wrote, a batch at a time; false when the claim was lost. */
  const clearPassages = async (doc: DocumentRecord): Promise<boolean> => {
    for (;;) {
      let removed = 0;
      const held = await underClaim(doc, async (tx) => {
        removed = await search.deletePassages(doc.id, limits.passages * 4, tx);
      });
      if (!held) return false;
      if (removed === 0) return true;
    }
  };

  return {
    /** Resolves with whether the document was finished under this claim. */
    async write(doc: DocumentRecord, results: ProcessingResults, finish: (tx: PoolClient) => Promise<void>): Promise<boolean> {
      if (!(await clearPassages(doc))) return false;
      if (!(await underClaim(doc, (tx) => documents.deletePages(doc.id, tx)))) return false;
      const size = { count: limits.passages, size: limits.chars };
      for (const pages of batches(results.pages, size, (p) => p.text.length)) {
        if (!(await underClaim(doc, (tx) => documents.insertPages(doc.id, pages, tx)))) return false;
      }
      let written = 0;
      for (const passages of batches(results.passages, size, (p) => p.text.length)) {
        const first = written;
        const held = await underClaim(doc, async (tx) => {
          const ids = await search.insertPassages(doc.id, doc.userId, passages, tx);
          const vectors = results.vectors;
          if (vectors && embeddings) {
            await embeddings.storeVectors(embeddings.model, ids.map((passageId, i) => ({ passageId, vector: vectors[first + i]! })), tx);
          }
        });
        if (!held) return false;
        written += passages.length;
      }
      return underClaim(doc, finish);
    },
  };
}

export type ResultWriter = ReturnType<typeof createResultWriter>;
