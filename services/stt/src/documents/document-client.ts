import type { InternalTokens } from '@learner/common/auth';
import { createDocumentServiceClient, type DocumentSummary, type DocumentView, type NewTextDocument } from '@learner/common/contracts';
import type { RequestUser } from '@learner/common/http';

export type { DocumentSummary, DocumentView, NewTextDocument };

/** A stored passage of a document, as the document service cut it at processing. */
export interface DocumentPassage {
  id: number;
  page: number | null;
  text: string;
  heading: string | null;
}

export interface DocumentClient {
  createTextDocument(user: RequestUser, requestId: string, doc: NewTextDocument): Promise<DocumentView>;
  /** One of the user's documents, with its study pack. */
  getDocument(user: RequestUser, requestId: string, documentId: number): Promise<DocumentSummary>;
  /** The passages of one of the user's processed documents, with the document's title. */
  getPassages(user: RequestUser, requestId: string, documentId: number): Promise<{ title: string; passages: DocumentPassage[] }>;
}

/**
 * Calls the document service's internal routes on behalf of a user; its refusals (not found, not
 * processed yet, too large, not valid) pass on to the caller as they were given.
 */
export function createDocumentClient(options: { baseUrl: string; internalTokens: InternalTokens; timeoutMs?: number }): DocumentClient {
  const documents = createDocumentServiceClient({ ...options, timeoutMs: options.timeoutMs ?? 10_000 });
  return {
    createTextDocument: (user, requestId, doc) => documents.createTextDocument({ user, requestId }, doc),
    getDocument: (user, requestId, documentId) => documents.getDocument({ user, requestId }, documentId),
    async getPassages(user, requestId, documentId) {
      const { title, passages } = await documents.getPassages({ user, requestId }, documentId);
      return { title, passages: passages.map((p) => ({ id: p.id, page: p.page, text: p.text, heading: p.heading })) };
    },
  };
}
