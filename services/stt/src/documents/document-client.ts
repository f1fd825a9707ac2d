import { z } from 'zod';
import type { InternalTokens } from '@learner/common/auth';
import { AppError, ServiceUnavailableError, UpstreamError } from '@learner/common/errors';
import type { RequestUser } from '@learner/common/http';

export interface NewTextDocument {
  title: string;
  filename: string;
  text: string;
  source: string;
}

/** The document as the document service answers it; passed on to the client unchanged. */
export type DocumentView = Record<string, unknown> & { id: number };

/** A stored passage of a document, as the document service cut it at processing. */
export interface DocumentPassage {
  id: number;
  page: number | null;
  text: string;
  heading: string | null;
}

export interface DocumentClient {
  createTextDocument(user: RequestUser, requestId: string, doc: NewTextDocument): Promise<DocumentView>;
  /** The passages of one of the user's processed documents, with the document's title. */
  getPassages(user: RequestUser, requestId: string, documentId: number): Promise<{ title: string; passages: DocumentPassage[] }>;
}

interface ErrorBody {
  error?: string;
  message?: string;
  details?: Record<string, unknown>;
}

const passagesAnswer = z.object({
  data: z.object({
    title: z.string(),
    passages: z.array(
      z.object({ id: z.number().int(), page: z.number().int().nullable(), text: z.string(), heading: z.string().nullable() }),
    ),
  }),
});

/** Calls the document service's internal routes on behalf of a user. */
export function createDocumentClient(options: { baseUrl: string; internalTokens: InternalTokens; timeoutMs?: number }): DocumentClient {
  const base = options.baseUrl.replace(/\/+$/, '');
  const timeoutMs = options.timeoutMs ?? 10_000;

  /** The answer's body when it has `expected` status; the document service's refusals pass on to the caller. */
  const call = async (user: RequestUser, requestId: string, path: string, expected: number, what: string, init: RequestInit = {}) => {
    let res: Response;
    try {
      res = await fetch(`${base}${path}`, {
        ...init,
        headers: { ...options.internalTokens.headersFor(user, requestId), ...(init.body ? { 'content-type': 'application/json' } : {}) },
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch {
      throw new ServiceUnavailableError('The document service is unavailable; try again later', { service: 'document' });
    }
    const body = (await res.json().catch(() => ({}))) as { data?: unknown } & ErrorBody;
    if (res.status === expected && body.data) return body;
    // Its refusals (not found, not processed yet, too large, not valid) are the caller's to see.
    if (res.status >= 400 && res.status < 500 && res.status !== 401) {
      throw new AppError(res.status, body.error ?? 'ValidationError', body.message ?? `The document service refused to ${what}`, body.details ?? {});
    }
    throw new UpstreamError(`The document service could not ${what}`, { service: 'document', status: res.status });
  };

  return {
    async createTextDocument(user, requestId, doc) {
      const body = await call(user, requestId, '/internal/v1/documents', 201, 'save the transcript', {
        method: 'POST',
        body: JSON.stringify(doc),
      });
      return body.data as DocumentView;
    },
    async getPassages(user, requestId, documentId) {
      const body = passagesAnswer.safeParse(await call(user, requestId, `/internal/v1/documents/${documentId}/passages`, 200, 'give the passages'));
      if (!body.success) throw new UpstreamError('The document service answered in an unexpected shape', { service: 'document' });
      return body.data.data;
    },
  };
}
