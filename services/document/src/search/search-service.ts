import type { Logger } from '@learner/common/logger';
import { isRefusal, type Embedder } from '../embeddings/embedder.js';
import type { VectorCache } from '../embeddings/vector-cache.js';
import { bestSimilarity, dot, reciprocalRankFusion, unitVector } from '../embeddings/vectors.js';
import { anyWordQuery, type SearchHit, type SearchRepository } from './search-repository.js';

export interface RankedHit extends SearchHit {
  /** Cosine similarity of the passage to the question; null when the passage has no vector. */
  similarity: number | null;
}

export interface SearchAnswer {
  hits: RankedHit[];
  retrieval: 'hybrid' | 'full_text';
  /** Why the answer is ranked by full text only. */
  reason?: string;
  /** The embedding model the similarities come from (hybrid only): their scale is the model's own. */
  model?: string;
}

/** Each ranked list contributes its best this many to the fusion. */
const CANDIDATES = 50;
/** After a failed query embedding, searches skip the server this long instead of each waiting for it. */
const RETRY_AFTER_MS = 5000;

/**
 * Search over the user's passages: full text (all words, else any word) fused with vector
 * similarity by reciprocal rank fusion, so a question worded unlike the text still finds it.
 * Without embeddings (none configured, server down, nothing embedded yet) it answers by full
 * text alone and says why.
 */
export function createSearchService(deps: {
  repository: SearchRepository;
  embeddings?: { embedder: Embedder; vectors: VectorCache } | undefined;
  logger: Logger;
  now?: () => number;
}) {
  const now = deps.now ?? Date.now;
  let skipUntil = 0;

  const queryVector = async (q: string): Promise<Float32Array | string> => {
    const embedder = deps.embeddings!.embedder;
    if (now() < skipUntil) return 'the embedding server is unavailable';
    try {
      const [vector] = await embedder.embed([q], 'query');
      return unitVector(vector!);
    } catch (err) {
      if (isRefusal(err)) {
        deps.logger.warn({ err }, 'search ranked by full text only: the embedding model refused the search text');
        return 'the embedding model refused this search text';
      }
      skipUntil = now() + RETRY_AFTER_MS;
      deps.logger.warn({ err }, 'search ranked by full text only: the embedding server did not answer');
      return 'the embedding server is unavailable';
    }
  };

  return {
    /**
     * For each term taken as a question, the cosine similarity of the nearest passage of one
     * document; nulls when it cannot be measured now (the search's own fallbacks, never an error).
     */
    async relatedness(
      userId: string,
      documentId: number,
      terms: string[],
      /** Aborted when the caller stopped waiting: the embedding request is given up. */
      signal?: AbortSignal,
    ): Promise<{ model: string | null; relatedness: (number | null)[]; likeness?: number[][] }> {
      const none = { model: null, relatedness: terms.map(() => null) };
      if (!deps.embeddings || now() < skipUntil) return none;
      const stored = await deps.embeddings.vectors.vectorsOf(userId, deps.embeddings.embedder.model, [documentId]);
      if (stored.length === 0) return none;
      let queries: Float32Array[];
      try {
        // Up to 200 terms (a quiz measures 80): a search's deadline would cut them off on a slow machine.
        queries = (await deps.embeddings.embedder.embed(terms, 'query', { batch: true, signal })).map(unitVector);
      } catch (err) {
        if (signal?.aborted) return none;
        deps.logger.warn({ err }, 'term relatedness not measured: the embedding server did not answer');
        return none;
      }
      const passageVectors = stored.map((s) => s.vector);
      return {
        model: deps.embeddings.embedder.model,
        relatedness: queries.map((q) => bestSimilarity(q, passageVectors)),
        // A multiple-choice question's other options should be of its key's kind: a term's nearest in
        // meaning are its likeliest siblings.
        likeness: queries.map((a) => queries.map((b) => Math.round(dot(a, b) * 1000) / 1000)),
      };
    },

    async search(
      userId: string,
      q: string,
      options: { documentIds?: number[] | undefined; limit: number; question?: string | undefined },
    ): Promise<SearchAnswer> {
      const fullTextOnly = async (reason: string): Promise<SearchAnswer> => {
        const hits = await deps.repository.search(userId, q, { documentIds: options.documentIds, limit: options.limit });
        return { hits: hits.map((h) => ({ ...h, similarity: null })), retrieval: 'full_text', reason };
      };
      if (!deps.embeddings) return fullTextOnly('embeddings are not configured');
      // Punctuation alone asks nothing; its vector would still "find" passages.
      if (!anyWordQuery(q)) return fullTextOnly('the search text has no words');

      const [fullText, query, stored] = await Promise.all([
        deps.repository.search(userId, q, { documentIds: options.documentIds, limit: Math.max(CANDIDATES, options.limit), snippets: false }),
        // A whole question carries more meaning than its key words.
        queryVector(options.question ?? q),
        deps.embeddings.vectors.vectorsOf(userId, deps.embeddings.embedder.model, options.documentIds),
      ]);
      if (typeof query === 'string') return fullTextOnly(query);
      if (stored.length === 0) return fullTextOnly('no passage of these documents is embedded yet');

      const similarity = new Map<number, number>();
      for (const s of stored) similarity.set(s.passageId, dot(query, s.vector));
      const byVector = [...similarity]
        .sort((a, b) => b[1] - a[1])
        .slice(0, CANDIDATES)
        .map(([id]) => id);
      const fused = reciprocalRankFusion([fullText.map((h) => h.passageId), byVector]).slice(0, options.limit);

      // Highlighted only now, for the passages returned.
      const found = new Map((await deps.repository.passagesByIds(userId, fused.map((f) => f.id), q)).map((h) => [h.passageId, h]));
      const hits = fused.flatMap(({ id, score }) => {
        const hit = found.get(id);
        // A passage whose document was deleted between the two queries is left out.
        return hit ? [{ ...hit, rank: score, similarity: similarity.get(id) ?? null }] : [];
      });
      return { hits, retrieval: 'hybrid', model: deps.embeddings.embedder.model };
    },
  };
}

export type SearchService = ReturnType<typeof createSearchService>;
