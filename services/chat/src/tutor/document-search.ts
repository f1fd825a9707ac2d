import { z } from 'zod';
import type { InternalTokens } from '@learner/common/auth';
import type { RequestUser } from '@learner/common/http';
import type { Passage } from './compose-answer.js';

export interface SearchRequest {
  user: RequestUser;
  requestId?: string;
  query: string;
  /** Restricts the search; empty searches all of the user's documents. */
  documentIds: number[];
  limit: number;
}

export interface DocumentSearch {
  search(request: SearchRequest): Promise<Passage[]>;
}

/** The document service did not answer usefully in time; the reason is for logs and metadata. */
export class DocumentsUnreachableError extends Error {
  readonly reason: 'timeout' | 'unreachable' | 'bad_status' | 'bad_answer';
  constructor(reason: DocumentsUnreachableError['reason'], message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'DocumentsUnreachableError';
    this.reason = reason;
  }
}

const answerSchema = z.object({
  data: z.array(
    z.object({
      document_id: z.number().int(),
      title: z.string(),
      page: z.number().int().nullable(),
      passage_id: z.union([z.number(), z.string()]),
      text: z.string(),
      snippet: z.string().default(''),
      rank: z.number(),
    }),
  ),
});

/**
 * Calls `GET /internal/v1/search` of the document service on behalf of the user. Any failure
 * (refused connection, no answer within `timeoutMs`, a non-2xx status, a body of the wrong shape)
 * becomes a DocumentsUnreachableError, so the caller has one case to handle.
 */
export function createDocumentSearch(options: {
  baseUrl: string;
  timeoutMs: number;
  internalTokens: InternalTokens;
}): DocumentSearch {
  const base = options.baseUrl.replace(/\/+$/, '');
  return {
    async search(request) {
      const params = new URLSearchParams({ q: request.query, limit: String(request.limit) });
      if (request.documentIds.length) params.set('document_ids', request.documentIds.join(','));
      const signal = AbortSignal.timeout(options.timeoutMs);
      let body: unknown;
      try {
        const res = await fetch(`${base}/internal/v1/search?${params}`, {
          headers: { accept: 'application/json', ...options.internalTokens.headersFor(request.user, request.requestId) },
          signal,
        });
        if (!res.ok) {
          await res.body?.cancel().catch(() => undefined);
          throw new DocumentsUnreachableError('bad_status', `document search answered ${res.status}`);
        }
        body = await res.json();
      } catch (err) {
        if (err instanceof DocumentsUnreachableError) throw err;
        if (signal.aborted) {
          throw new DocumentsUnreachableError('timeout', `document search gave no answer within ${options.timeoutMs} ms`, { cause: err });
        }
        if (err instanceof SyntaxError) throw new DocumentsUnreachableError('bad_answer', 'document search answered with invalid JSON', { cause: err });
        throw new DocumentsUnreachableError('unreachable', 'document service could not be reached', { cause: err });
      }
      const parsed = answerSchema.safeParse(body);
      if (!parsed.success) throw new DocumentsUnreachableError('bad_answer', 'document search answered in an unexpected shape');
      return parsed.data.data.map((p) => ({
        documentId: p.document_id,
        title: p.title,
        page: p.page,
        passageId: p.passage_id,
        text: p.text,
        snippet: p.snippet,
        rank: p.rank,
      }));
    },
  };
}
