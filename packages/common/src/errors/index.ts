/**
 * The error family every service throws. One middleware (see ../http) turns these into the
 * seed's error body; anything that is not an AppError becomes a generic 500.
 */
export type ErrorDetails = Record<string, unknown>;

export class AppError extends Error {
  readonly status: number;
  readonly type: string;
  readonly details: ErrorDetails;
  /** Extra response headers, e.g. Retry-After on 429. */
  readonly headers: Record<string, string>;

  constructor(
    status: number,
    type: string,
    message: string,
    details: ErrorDetails = {},
    headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = type;
    this.status = status;
    this.type = type;
    this.details = details;
    this.headers = headers;
  }
}

export class ValidationError extends AppError {
  constructor(message = 'The request is not valid', details: ErrorDetails = {}) {
    super(400, 'ValidationError', message, details);
  }
}

export class UnauthenticatedError extends AppError {
  constructor(message = 'Authentication is required', details: ErrorDetails = {}) {
    super(401, 'Unauthorized', message, details);
  }
}

export class ForbiddenError extends AppError {
  constructor(message = 'You are not allowed to do this', details: ErrorDetails = {}) {
    super(403, 'Forbidden', message, details);
  }
}

export class NotFoundError extends AppError {
  constructor(message = 'Not found', details: ErrorDetails = {}) {
    super(404, 'NotFound', message, details);
  }
}

export class ConflictError extends AppError {
  constructor(message = 'Conflict', details: ErrorDetails = {}) {
    super(409, 'Conflict', message, details);
  }
}

export class PayloadTooLargeError extends AppError {
  constructor(message = 'The request body is too large', details: ErrorDetails = {}) {
    super(413, 'PayloadTooLarge', message, details);
  }
}

export class RequestTimeoutError extends AppError {
  /** The connection closes: the rest of a body the client announced could still arrive on it. */
  constructor(message = 'The request body did not arrive in time', details: ErrorDetails = {}) {
    super(408, 'RequestTimeout', message, details, { Connection: 'close' });
  }
}

export class UnsupportedMediaTypeError extends AppError {
  constructor(message = 'This type of content is not supported', details: ErrorDetails = {}) {
    super(415, 'UnsupportedMediaType', message, details);
  }
}

export class RateLimitedError extends AppError {
  constructor(retryAfterSeconds: number, details: ErrorDetails = {}) {
    super(
      429,
      'RateLimitExceeded',
      `Too many requests; try again in ${retryAfterSeconds} s`,
      { retry_after: retryAfterSeconds, ...details },
      { 'Retry-After': String(retryAfterSeconds) },
    );
  }
}

export class UpstreamError extends AppError {
  constructor(message = 'An upstream service failed', details: ErrorDetails = {}) {
    super(502, 'BadGateway', message, details);
  }
}

export class ServiceUnavailableError extends AppError {
  /** With `retryAfterSeconds`, the answer says when to come back (Retry-After). */
  constructor(message = 'The service is unavailable', details: ErrorDetails = {}, retryAfterSeconds?: number) {
    super(
      503,
      'ServiceUnavailable',
      message,
      retryAfterSeconds === undefined ? details : { ...details, retry_after: retryAfterSeconds },
      retryAfterSeconds === undefined ? {} : { 'Retry-After': String(retryAfterSeconds) },
    );
  }
}

export class GatewayTimeoutError extends AppError {
  constructor(message = 'The upstream service did not answer in time', details: ErrorDetails = {}) {
    super(504, 'GatewayTimeout', message, details);
  }
}

export interface ErrorBody {
  error: string;
  message: string;
  details: ErrorDetails;
  request_id: string;
  timestamp: string;
}

export function errorBody(
  type: string,
  message: string,
  requestId: string,
  details: ErrorDetails = {},
): ErrorBody {
  return { error: type, message, details, request_id: requestId, timestamp: new Date().toISOString() };
}
