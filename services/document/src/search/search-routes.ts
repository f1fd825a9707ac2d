import { Router } from 'express';
import { z } from 'zod';
import { currentUser } from '@learner/common/auth';
import { parseInput } from '@learner/common/http';
import { plainText } from '../text/plain-text.js';
import type { RankedHit, SearchService } from './search-service.js';

export const searchQuery = z.strictObject({
  q: plainText().pipe(z.string().trim().min(1, 'a search text is required').max(500)),
  question: plainText()
    .pipe(z.string().trim().min(1).max(500))
    .optional()
    .describe('the question in the learner\'s own words, for the meaning side of the search; q by default'),
  limit: z.coerce.number().int().min(1).max(50).default(10),
  document_ids: z
    .string()
    .regex(/^\d{1,10}(,\d{1,10})*$/, 'a comma-separated list of document ids')
    .transform((v) => v.split(',').map(Number).filter((n) => n <= 2_147_483_647))
    .optional(),
});

export function searchHitView(hit: RankedHit) {
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
      meta: { retrieval: answer.retrieval, ...(answer.reason ? { reason: answer.reason } : {}) },
      timestamp: new Date().toISOString(),
    });
  });
  return router;
}
