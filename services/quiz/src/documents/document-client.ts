import type { InternalTokens } from '@learner/common/auth';
import { createDocumentServiceClient } from '@learner/common/contracts';
import { AppError, ConflictError, NotFoundError } from '@learner/common/errors';
import type { RequestUser } from '@learner/common/http';
import type { Passage } from '@learner/text';
import type { TermMeasurement } from '../generation/question-writer.js';

export interface DocumentPassages {
  id: number;
  title: string;
  /** The passages the document service cut the document into at processing, in reading order. */
  passages: Passage[];
}

export interface DocumentClient {
  /** The stored passages of one of the user's completed documents. */
  getPassages(user: RequestUser, documentId: number, requestId?: string): Promise<DocumentPassages>;
  /**
   * For each term, how closely the document's nearest passage answers it (null where not
   * measured) and how alike in meaning each two terms are; undefined when the document service
   * cannot measure them now.
   */
  relatedness(user: RequestUser, documentId: number, terms: string[], requestId?: string): Promise<TermMeasurement | undefined>;
}

/**
 * Reads documents through the document service's internal routes, acting for the end user. Its
 * failures are those of the shared internal client; not found and not processed are said in the
 * words of a quiz.
 */
export function createDocumentClient(options: { baseUrl: string; timeoutMs: number; internalTokens: InternalTokens }): DocumentClient {
  const documents = createDocumentServiceClient(options);
  return {
    async relatedness(user, documentId, terms, requestId) {
      try {
        const answer = await documents.relatedness({ user, requestId }, documentId, terms);
        if (!answer.model) return undefined;
        return { relatedness: answer.relatedness, ...(answer.likeness ? { likeness: answer.likeness } : {}) };
      } catch {
        // Only a weighing of the terms: the quiz is made without it.
        return undefined;
      }
    },
    async getPassages(user, documentId, requestId) {
      const doc = await documents.getPassages({ user, requestId }, documentId).catch((err: unknown) => {
        if (!(err instanceof AppError)) throw err;
        if (err.status === 404) throw new NotFoundError('Document not found', { document_id: documentId });
        if (err.status !== 409) throw err;
        // The document service names the document's status; a failed one will not become ready by waiting.
        if (err.details.status === 'failed') {
          throw new ConflictError(
            `The document could not be processed; run POST /api/v1/documents/${documentId}/process again or upload it anew`,
            { document_id: documentId, status: 'failed' },
          );
        }
        throw new ConflictError('The document is not processed yet; try again when its status is completed', { document_id: documentId });
      });
      return {
        id: doc.id,
        title: doc.title,
        passages: doc.passages.map((p) => ({ page: p.page, position: p.position, text: p.text, heading: p.heading, start: p.start_offset, end: p.end_offset })),
      };
    },
  };
}
