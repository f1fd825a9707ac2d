import { z } from 'zod';
import type { InternalTokens } from '@learner/common/auth';
import type { RequestUser } from '@learner/common/http';
import type { Passage } from '../tutor/compose-answer.js';

export interface SearchRequest {
  user: RequestUser;
  requestId?: string;
  query: string;
  /** The question in the learner's words, for the meaning side of the search. */
  question?: string;
  /** Restricts the search; empty searches all of the user's documents. */
  documentIds: number[];
  limit: number;
}

export interface DocumentSearch {
  search(request: SearchRequest): Promise<SearchResult>;
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
      similarity: z.number().nullable().default(null),
    }),
  ),
  meta: z.object({ retrieval: z.string(), reason: z.string().optional() }).optional(),
});

/** What a search found, and how it ranked: 'hybrid' (full text and meaning) or 'full_text'. */
export interface SearchResult {
  passages: Passage[];
  retrieval: string;
  /** Why the search fell back to full text, when it did. */
  reason?: string;
}

export interface DocumentLookup {
  /** Which of `ids` are not documents of the user. */
  missing(request: { user: RequestUser; requestId?: string; ids: number[] }): Promise<number[]>;
}

export type DocumentClient = DocumentSearch & DocumentLookup;

/**
 * Calls the document service's internal routes on behalf of the user. Any failure (refused
 * connection, no answer within `timeoutMs`, an unexpected status, a body of the wrong shape)
 * becomes a DocumentsUnreachableError, so callers have one case to handle.
 */
export function createDocumentClient(options: {
  baseUrl: string;
  timeoutMs: number;
  internalTokens: InternalTokens;
}): DocumentClient {
  const base = options.baseUrl.replace(/\/+$/, '');

  /** GETs `path`; resolves with the status and parsed body of 2xx and of the `allowed` statuses. */
  const get = async (path: string, user: RequestUser, requestId: string | undefined, allowed: number[] = []) => {
    const signal = AbortSignal.timeout(options.timeoutMs);
    try {
      const res = await fetch(`${base}${path}`, {
        headers: { accept: 'application/json', ...options.internalTokens.headersFor(user, requestId) },
        signal,
      });
      if (!res.ok && !allowed.includes(res.status)) {
        await res.body?.cancel().catch(() => undefined);
        throw new DocumentsUnreachableError('bad_status', `document service answered ${res.status}`);
      }
      return { status: res.status, body: (await res.json()) as unknown };
    } catch (err) {
      if (err instanceof DocumentsUnreachableError) throw err;
      if (signal.aborted) {
        throw new DocumentsUnreachableError('timeout', `document service gave no answer within ${options.timeoutMs} ms`, { cause: err });
      }
      if (err instanceof SyntaxError) throw new DocumentsUnreachableError('bad_answer', 'document service answered with invalid JSON', { cause: err });
      throw new DocumentsUnreachableError('unreachable', 'document service could not be reached', { cause: err });
    }
  };

  return {
    async search(request) {
      const params = new URLSearchParams({ q: request.query, limit: String(request.limit) });
      if (request.documentIds.length) params.set('document_ids', request.documentIds.join(','));
      if (request.question) params.set('question', request.question);
      const { body } = await get(`/internal/v1/search?${params}`, request.user, request.requestId);
      const parsed = answerSchema.safeParse(body);
      if (!parsed.success) throw new DocumentsUnreachableError('bad_answer', 'document search answered in an unexpected shape');
      const passages = parsed.data.data.map((p) => ({
        documentId: p.document_id,
        title: p.title,
        page: p.page,
        passageId: p.passage_id,
        text: p.text,
        snippet: p.snippet,
        rank: p.rank,
        similarity: p.similarity,
      }));
      const meta = parsed.data.meta;
      return { passages, retrieval: meta?.retrieval ?? 'full_text', ...(meta?.reason ? { reason: meta.reason } : {}) };
    },

    async missing({ user, requestId, ids }) {
      const found = await Promise.all(
        ids.map(async (id) => (await get(`/internal/v1/documents/${id}`, user, requestId, [404])).status !== 404),
      );
      return ids.filter((_, i) => !found[i]);
    },
  };
}
