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

export interface DocumentClient {
  createTextDocument(user: RequestUser, requestId: string, doc: NewTextDocument): Promise<DocumentView>;
}

interface ErrorBody {
  error?: string;
  message?: string;
  details?: Record<string, unknown>;
}

/** Calls the document service's internal routes on behalf of a user. */
export function createDocumentClient(options: { baseUrl: string; internalTokens: InternalTokens; timeoutMs?: number }): DocumentClient {
  const base = options.baseUrl.replace(/\/+$/, '');
  const timeoutMs = options.timeoutMs ?? 10_000;
  return {
    async createTextDocument(user, requestId, doc) {
      let res: Response;
      try {
        res = await fetch(`${base}/internal/v1/documents`, {
          method: 'POST',
          headers: { ...options.internalTokens.headersFor(user, requestId), 'content-type': 'application/json' },
          body: JSON.stringify(doc),
          signal: AbortSignal.timeout(timeoutMs),
        });
      } catch {
        throw new ServiceUnavailableError('The document service is unavailable; try again later', { service: 'document' });
      }
      const body = (await res.json().catch(() => ({}))) as { data?: DocumentView } & ErrorBody;
      if (res.status === 201 && body.data) return body.data;
      // The document service's refusals (too large, not valid) are the caller's to see.
      if (res.status >= 400 && res.status < 500 && res.status !== 401) {
        throw new AppError(res.status, body.error ?? 'ValidationError', body.message ?? 'The document service refused the transcript', body.details ?? {});
      }
      throw new UpstreamError('The document service could not save the transcript', { service: 'document', status: res.status });
    },
  };
}
