import type { InternalTokens } from '@learner/common/auth';
import { ConflictError, NotFoundError, ServiceUnavailableError, UpstreamError } from '@learner/common/errors';
import type { RequestUser } from '@learner/common/http';
import { z } from 'zod';
import type { Passage } from '@learner/text';

export interface DocumentPassages {
  id: number;
  title: string;
  /** The passages the document service cut the document into at processing, in reading order. */
  passages: Passage[];
}

export interface DocumentClient {
  /** The stored passages of one of the user's completed documents. */
  getPassages(user: RequestUser, documentId: number, requestId?: string): Promise<DocumentPassages>;
}

const passagesAnswer = z.object({
  data: z.object({
    id: z.number(),
    title: z.string(),
    status: z.string(),
    passages: z.array(
      z.object({
        page: z.number().int(),
        position: z.number().int(),
        text: z.string(),
        heading: z.string().nullable(),
        start_offset: z.number().int(),
        end_offset: z.number().int(),
      }),
    ),
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
    async getPassages(user, documentId, requestId) {
      let response: Response;
      try {
        response = await doFetch(`${base}/internal/v1/documents/${documentId}/passages`, {
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
        throw new UpstreamError('The document service could not give the document passages', { dependency: 'document', status: response.status });
      }
      let body: unknown;
      try {
        body = await response.json();
      } catch {
        throw new UpstreamError('The document service answered with something that is not JSON', { dependency: 'document' });
      }
      const parsed = passagesAnswer.safeParse(body);
      if (!parsed.success) {
        throw new UpstreamError('The document service answered in an unexpected shape', { dependency: 'document' });
      }
      const { id, title, passages } = parsed.data.data;
      return {
        id,
        title,
        passages: passages.map((p) => ({ page: p.page, position: p.position, text: p.text, heading: p.heading, start: p.start_offset, end: p.end_offset })),
      };
    },
  };
}
