import type { InternalTokens } from '@learner/common/auth';
import { ConflictError, NotFoundError, ServiceUnavailableError, UpstreamError } from '@learner/common/errors';
import type { RequestUser } from '@learner/common/http';
import { z } from 'zod';
import type { DocumentPage } from '../generation/question.js';

export interface DocumentText {
  id: number;
  title: string;
  pages: DocumentPage[];
}

export interface DocumentClient {
  /** The text of one of the user's completed documents, page by page. */
  getText(user: RequestUser, documentId: number, requestId?: string): Promise<DocumentText>;
}

const textAnswer = z.object({
  data: z.object({
    id: z.number(),
    title: z.string(),
    status: z.string(),
    pages: z.array(z.object({ page: z.number().int(), text: z.string() })),
  }),
});

/** Reads documents through the document service's internal routes, acting for the end user. */
export function createDocumentClient(options: {
  baseUrl: string;
  timeoutMs: number;
  internalTokens: InternalTokens;
  fetch?: typeof fetch;
}): DocumentClient {
  const doFetch = options.fetch ?? fetch;
  const base = options.baseUrl.replace(/\/+$/, '');
  return {
    async getText(user, documentId, requestId) {
      let response: Response;
      try {
        response = await doFetch(`${base}/internal/v1/documents/${documentId}/text`, {
          headers: { accept: 'application/json', ...options.internalTokens.headersFor(user, requestId) },
          signal: AbortSignal.timeout(options.timeoutMs),
        });
      } catch (err) {
        const timedOut = err instanceof Error && (err.name === 'TimeoutError' || err.name === 'AbortError');
        throw new ServiceUnavailableError(
          timedOut ? 'The document service did not answer in time' : 'The document service is unavailable',
          { dependency: 'document' },
        );
      }
      if (response.status === 404) {
        await response.body?.cancel();
        throw new NotFoundError('Document not found', { document_id: documentId });
      }
      if (response.status === 409) {
        // The document service names the document's status; a failed one will not become ready by waiting.
        const answer = (await response.json().catch(() => undefined)) as { details?: { status?: unknown } } | undefined;
        if (answer?.details?.status === 'failed') {
          throw new ConflictError(
            `The document could not be processed; run POST /api/v1/documents/${documentId}/process again or upload it anew`,
            { document_id: documentId, status: 'failed' },
          );
        }
        throw new ConflictError('The document is not processed yet; try again when its status is completed', {
          document_id: documentId,
        });
      }
      if (!response.ok) {
        await response.body?.cancel();
        if (response.status === 503) throw new ServiceUnavailableError('The document service is unavailable', { dependency: 'document' });
        throw new UpstreamError('The document service could not give the document text', { dependency: 'document', status: response.status });
      }
      let body: unknown;
      try {
        body = await response.json();
      } catch {
        throw new UpstreamError('The document service answered with something that is not JSON', { dependency: 'document' });
      }
      const parsed = textAnswer.safeParse(body);
      if (!parsed.success) {
        throw new UpstreamError('The document service answered in an unexpected shape', { dependency: 'document' });
      }
      const { id, title, pages } = parsed.data.data;
      return { id, title, pages };
    },
  };
}
