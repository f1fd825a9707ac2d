import type { ErrorRequestHandler, RequestHandler } from 'express';
import { z } from 'zod';
import { AppError, errorBody, NotFoundError, ServiceUnavailableError } from '../errors/index.js';
import { issuesToDetails } from './validation.js';

interface BodyParserError {
  type?: string;
  status?: number;
  limit?: number;
}

interface MulterLikeError {
  name: string;
  code?: string;
  field?: string;
}

/** Errors raised by express's body parsers and multer, mapped to the public error types. */
function fromLibraryError(err: unknown): AppError | undefined {
  if (typeof err !== 'object' || err === null) return undefined;
  const parserError = err as BodyParserError;
  switch (parserError.type) {
    case 'entity.parse.failed':
      return new AppError(400, 'ValidationError', 'The request body is not valid JSON');
    case 'entity.too.large':
      return new AppError(413, 'PayloadTooLarge', 'The request body is too large', {
        limit_bytes: parserError.limit,
      });
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return new AppError(415, 'UnsupportedMediaType', 'The request body encoding is not supported');
    case 'request.aborted':
      return new AppError(400, 'ValidationError', 'The request was aborted by the client');
    default:
      break;
  }
  const multerError = err as MulterLikeError;
  if (multerError.name === 'MulterError') {
    if (multerError.code === 'LIMIT_FILE_SIZE') {
      return new AppError(413, 'PayloadTooLarge', 'The file is larger than the allowed size');
    }
    return new AppError(400, 'ValidationError', `The upload is not valid (${multerError.code ?? 'unknown'})`, {
      field: multerError.field,
    });
  }
  if (err instanceof URIError && (err as { status?: unknown }).status === 400) {
    // The router could not percent-decode a path parameter (e.g. `/documents/%FF`) and said so.
    return new AppError(400, 'ValidationError', 'The path contains malformed percent-encoding');
  }
  const pgCode = (err as { code?: unknown }).code;
  if (pgCode === '22021' || pgCode === '22P05') {
    // PostgreSQL refused a character it cannot store (NUL, or a \u0000 escape inside jsonb).
    return new AppError(400, 'ValidationError', 'The request contains characters that cannot be stored');
  }
  if (isDependencyDown(err)) {
    if ((err as { dependency?: unknown }).dependency === 'database' || isDatabaseDown(err)) {
      return new ServiceUnavailableError('The database is not answering; try again shortly', { dependency: 'database' }, 5);
    }
    return new AppError(503, 'ServiceUnavailable', 'A storage dependency is unavailable right now; try again shortly');
  }
  if (err instanceof z.ZodError) {
    return new AppError(400, 'ValidationError', 'The request is not valid', issuesToDetails(err.issues));
  }
  return fromClientErrorStatus(err);
}

/** Types and messages for the client-error statuses that libraries (http-errors) attach to errors. */
const CLIENT_ERRORS: Record<number, readonly [string, string]> = {
  400: ['ValidationError', 'The request could not be read'],
  403: ['Forbidden', 'The request is not allowed'],
  404: ['NotFound', 'Nothing was found here'],
  408: ['RequestTimeout', 'The request took too long to arrive'],
  411: ['ValidationError', 'The request needs a Content-Length'],
  413: ['PayloadTooLarge', 'The request body is too large'],
  415: ['UnsupportedMediaType', 'The request body is of a type or encoding that is not supported'],
};

/**
 * A library error that carries a 4xx status for the client (body-parser's, e.g. a gzip body that
 * does not inflate) is the client's fault whatever its type: it keeps its status, with a message
 * of our own, since library texts are written for developers.
 */
function fromClientErrorStatus(err: unknown): AppError | undefined {
  // http-errors marks the errors it means for the client with `expose`; other errors carrying a
  // status (a model endpoint's 401, say) describe our side and stay a 500.
  const { status, expose } = err as { status?: unknown; expose?: unknown };
  if (expose !== true || typeof status !== 'number' || !Number.isInteger(status) || status < 400 || status > 499) return undefined;
  const [type, message] = CLIENT_ERRORS[status] ?? ['BadRequest', 'The request could not be handled'];
  return new AppError(status, type, message);
}

const CONNECTION_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH', 'EPIPE']);

/**
 * A database (or other server) that cannot be reached is an outage, not a bug: 503, so clients
 * retry. PostgreSQL's class 08 (connection), 57P0x (shutdown) and 53300 (too many clients) count.
 */
function isDependencyDown(err: unknown): boolean {
  const code = (err as { code?: unknown }).code;
  return (typeof code === 'string' && CONNECTION_CODES.has(code)) || isDatabaseDown(err);
}

/** Said by PostgreSQL or by the pool on its way there (createPool marks its errors of connecting). */
function isDatabaseDown(err: unknown): boolean {
  const e = err as { code?: unknown; message?: unknown };
  const code = typeof e.code === 'string' ? e.code : '';
  if (code.startsWith('08') || /^57P0[1-3]$/.test(code) || code === '53300') return true;
  const message = typeof e.message === 'string' ? e.message : '';
  // pg's own words for a connection that broke, before or while a query was sent on it.
  return /^(Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error|Client was closed)/.test(
    message,
  );
}

export function notFoundHandler(): RequestHandler {
  return (req, _res, next) => {
    next(new NotFoundError(`No route for ${req.method} ${req.path}`));
  };
}

/** The one place an error becomes a response. Unknown errors never leak their text. */
export function errorHandler(): ErrorRequestHandler {
  return (err, req, res, next) => {
    if (res.headersSent) {
      next(err);
      return;
    }
    const requestId = req.requestId ?? 'unknown';
    const known = err instanceof AppError ? err : fromLibraryError(err);
    if (known) {
      if (known.status >= 500) req.log?.warn({ err }, known.message);
      for (const [name, value] of Object.entries(known.headers)) res.setHeader(name, value);
      res.status(known.status).json(errorBody(known.type, known.message, requestId, known.details));
      return;
    }
    req.log?.error({ err }, 'unhandled error');
    res
      .status(500)
      .json(
        errorBody('InternalError', `Something went wrong on our side; quote ${requestId} when reporting it`, requestId),
      );
  };
}
