/** An error answer of the API (seed §10.3 body), or a request that got no answer at all. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly type: string,
    message: string,
    readonly details: Record<string, unknown> = {},
    /** Seconds to wait, from Retry-After (429). */
    readonly retryAfter: number | null = null,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** What the app sends where: the document service takes these, audio goes to speech to text. */
export const DOCUMENT_TYPES = 'PDF, text (.txt, .md), PNG or JPEG images';
export const AUDIO_TYPES = 'WAV, MP3, FLAC, OGG, M4A or WebM audio';

function megabytes(bytes: number): string {
  const mb = bytes / (1024 * 1024);
  return `${Number.isInteger(mb) ? mb : mb.toFixed(1)} MB`;
}

/** Builds an ApiError from an answer's status, body text and Retry-After header. */
export function errorFromResponse(status: number, bodyText: string, retryAfterHeader: string | null): ApiError {
  let body: { error?: unknown; message?: unknown; details?: unknown } = {};
  try {
    const parsed: unknown = JSON.parse(bodyText);
    if (parsed && typeof parsed === 'object') body = parsed as typeof body;
  } catch {
    // not JSON (a proxy's page, say): the status alone tells what happened
  }
  const details = body.details && typeof body.details === 'object' ? (body.details as Record<string, unknown>) : {};
  const headerSeconds = retryAfterHeader !== null ? Number(retryAfterHeader) : NaN;
  const detailSeconds = typeof details.retry_after === 'number' ? details.retry_after : NaN;
  const retryAfter = Number.isFinite(headerSeconds) ? headerSeconds : Number.isFinite(detailSeconds) ? detailSeconds : null;
  return new ApiError(
    status,
    typeof body.error === 'string' ? body.error : `HTTP${status}`,
    typeof body.message === 'string' ? body.message : '',
    details,
    retryAfter,
  );
}

/** A request that never got an answer (offline, server down, blocked). */
export function networkError(): ApiError {
  return new ApiError(0, 'NetworkError', '');
}

/**
 * The sentence a learner sees for any error: what happened and what to do about it. `accepted`
 * names the file types of the upload the error came from, for 415.
 */
export function describeError(err: unknown, accepted?: string): string {
  if (!(err instanceof ApiError)) {
    return 'Something went wrong in the app. Reload the page to try again.';
  }
  const said = err.message.trim();
  switch (err.status) {
    case 0:
      return 'Cannot reach the server. Check your connection and try again.';
    case 401:
      return said && err.type !== 'HTTP401' ? said : 'Your session has ended. Sign in again.';
    case 404:
      return 'Not found: it may have been deleted.';
    case 413: {
      const limit = typeof err.details.limit_bytes === 'number' ? err.details.limit_bytes : null;
      return limit !== null
        ? `The file is too large: the limit is ${megabytes(limit)}.`
        : 'The file is too large for the server. Try a smaller file.';
    }
    case 415: {
      const list = Array.isArray(err.details.accepted) ? err.details.accepted.join(', ') : accepted;
      return list ? `This type of file is not accepted. Accepted: ${list}.` : said || 'This type of file is not accepted.';
    }
    case 429: {
      const wait = err.retryAfter ?? null;
      return wait !== null
        ? `Too many requests. Wait ${wait} second${wait === 1 ? '' : 's'} and try again.`
        : 'Too many requests. Wait a minute and try again.';
    }
    default:
      if (err.status >= 500) {
        return `The server could not do this right now (${err.status}). Try again in a moment.${said ? ` ${said}` : ''}`;
      }
      return said || `The request failed (${err.status}).`;
  }
}
