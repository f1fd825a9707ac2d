import type { InternalTokens } from '@learner/common/auth';
import { createDocumentServiceClient } from '@learner/common/contracts';
import { AppError } from '@learner/common/errors';
import type { RequestUser } from '@learner/common/http';
import { InternalCallError } from '@learner/common/internal-client';
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

/** The document service did not answer usefully in time; `reason` is for logs and metadata. */
export { InternalCallError as DocumentsUnreachableError };

/** What a search found, and how it ranked: 'hybrid' (full text and meaning) or 'full_text'. */
export interface SearchResult {
  passages: Passage[];
  retrieval: string;
  /** Why the search fell back to full text, when it did. */
  reason?: string;
  /** The embedding model the passages' similarities come from, when ranked by meaning too. */
  model?: string;
}

export interface DocumentLookup {
  /** Which of `ids` are not documents of the user. */
  missing(request: { user: RequestUser; requestId?: string; ids: number[] }): Promise<number[]>;
}

export type DocumentClient = DocumentSearch & DocumentLookup;

/** For the tutor and the sessions, a refusal of the document service is a failed call like any other. */
const refusalAsFailure =
  (what: string) =>
  (err: unknown): never => {
    if (err instanceof AppError && !(err instanceof InternalCallError)) {
      throw new InternalCallError('bad_status', `The document service refused the ${what}`, { dependency: 'document', status: err.status });
    }
    throw err;
  };

// The search takes no control characters (other than line breaks and tabs); a question may carry
// some (pasted from a terminal, say): the search reads them as spaces.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g;
const searchable = (text: string): string => text.replace(CONTROL, ' ');
const searchableQuestion = (text: string | undefined): string | undefined => (text === undefined ? undefined : searchable(text).trim() || undefined);

/**
 * The document service's search and lookup for the tutor and the sessions. Any failure, and a
 * refused search too, is a DocumentsUnreachableError: the tutor then answers without documents.
 */
export function createDocumentClient(options: { baseUrl: string; timeoutMs: number; internalTokens: InternalTokens }): DocumentClient {
  const documents = createDocumentServiceClient(options);

  return {
    async search(request) {
      const call = { user: request.user, requestId: request.requestId };
      const found = await documents
        .search(call, {
          q: searchable(request.query),
          question: searchableQuestion(request.question),
          limit: request.limit,
          documentIds: request.documentIds,
        })
        .catch(refusalAsFailure('search'));
      const passages = found.hits.map((p) => ({
        documentId: p.document_id,
        title: p.title,
        page: p.page,
        passageId: p.passage_id,
        text: p.text,
        snippet: p.snippet,
        rank: p.rank,
        similarity: p.similarity,
      }));
      return {
        passages,
        retrieval: found.meta.retrieval,
        ...(found.meta.reason ? { reason: found.meta.reason } : {}),
        ...(found.meta.model ? { model: found.meta.model } : {}),
      };
    },

    async missing({ user, requestId, ids }) {
      const found = await Promise.all(
        ids.map((id) =>
          documents.getDocument({ user, requestId }, id).then(
            () => true,
            (err: unknown) => (err instanceof AppError && err.status === 404 && !(err instanceof InternalCallError) ? false : refusalAsFailure('lookup')(err)),
          ),
        ),
      );
      return ids.filter((_, i) => !found[i]);
    },
  };
}
