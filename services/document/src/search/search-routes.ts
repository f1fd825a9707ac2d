import { Router } from 'express';
import { currentUser } from '@learner/common/auth';
import { parseInput } from '@learner/common/http';
import { documentSearchQuery, type DocumentSearchHit, type DocumentSearchMeta } from '@learner/common/contracts';
import type { RankedHit, SearchService } from './search-service.js';

/** The query of the search routes, public and internal: the contract its clients send to. */
export const searchQuery = documentSearchQuery;

export function searchHitView(hit: RankedHit): DocumentSearchHit {
  return {
    document_id: hit.documentId,
    title: hit.title,
    page: hit.page,
    passage_id: hit.passageId,
    text: hit.text,
    snippet: hit.snippet,
    rank: hit.rank,
    similarity: hit.similarity === null ? null : Math.round(hit.similarity * 10_000) / 10_000,
  };
}

/**
 * `GET /search`: passages of the caller's own documents, best first; `meta` says how they were
 * ranked (hybrid, or full text only and why).
 */
export function createSearchRouter(deps: { search: SearchService }): Router {
  const router = Router();
  router.get('/search', async (req, res) => {
    const query = parseInput(searchQuery, req.query, 'query');
    const answer = await deps.search.search(currentUser(req).id, query.q, {
      documentIds: query.document_ids,
      limit: query.limit,
      question: query.question,
    });
    res.status(200).json({
      status: 'success',
      data: answer.hits.map(searchHitView),
      meta: {
        retrieval: answer.retrieval,
        ...(answer.reason ? { reason: answer.reason } : {}),
        ...(answer.model ? { model: answer.model } : {}),
      } satisfies DocumentSearchMeta,
      timestamp: new Date().toISOString(),
    });
  });
  return router;
}
