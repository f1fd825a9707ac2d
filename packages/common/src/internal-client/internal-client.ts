import { z } from 'zod';
import type { InternalTokens } from '../auth/internal.js';
import { AppError, type ErrorDetails } from '../errors/index.js';
import type { RequestUser } from '../http/types.js';

/** Why a call to another service gave nothing usable. */
export type InternalCallFailure = 'timeout' | 'unreachable' | 'bad_status' | 'bad_answer';

/**
 * Another service gave no usable answer. A timeout, a refused connection or the other service's
 * own 503 answer 503 (try again later); an unexpected status or body answers 502. `details` name
 * the `dependency` and the `reason`, never the other service's body.
 */
export class InternalCallError extends AppError {
  readonly reason: InternalCallFailure;
  readonly dependency: string | undefined;

  constructor(reason: InternalCallFailure, message: string, options: { dependency?: string; status?: number; cause?: unknown } = {}) {
    const unavailable = reason === 'timeout' || reason === 'unreachable' || options.status === 503;
    const details: ErrorDetails = {
      ...(options.dependency ? { dependency: options.dependency } : {}),
      reason,
      ...(options.status ? { status: options.status } : {}),
    };
    super(unavailable ? 503 : 502, unavailable ? 'ServiceUnavailable' : 'BadGateway', message, details);
    this.reason = reason;
    this.dependency = options.dependency;
    if (options.cause !== undefined) this.cause = options.cause;
  }
}

/** Who the call is made for: the end user, carried in the internal token, and the request id. */
export interface InternalCall {
  user: RequestUser;
  requestId?: string | undefined;
}

export interface InternalRequest<S extends z.ZodType> extends InternalCall {
  method?: 'GET' | 'POST';
  /** From the root of the other service, e.g. `/internal/v1/search`. */
  path: string;
  query?: Record<string, string>;
  /** Sent as JSON. */
  body?: unknown;
  /** Headers of the call besides the identity ones, e.g. `Idempotency-Key`. */
  headers?: Record<string, string>;
  /** The whole success body the route answers; the answer is checked against it. */
  response: S;
}

export interface InternalClientOptions {
  /** The other service's name, for messages and error details ("document"). */
  service: string;
  baseUrl: string;
  timeoutMs: number;
  internalTokens: InternalTokens;
}

export interface InternalClient {
  /** The checked success body; a refusal (4xx) of the other service is thrown as the same AppError. */
  request<S extends z.ZodType>(request: InternalRequest<S>): Promise<z.output<S>>;
}

/** The error body every service writes (seed §10.3). */
const refusalBody = z.object({ error: z.string().min(1), message: z.string(), details: z.record(z.string(), z.unknown()).optional() });

/**
 * Calls another service's internal routes for the user, under one timeout for the whole answer.
 * Its refusals (not found, conflict, too large, not valid) reach the caller as they were given;
 * 401/403 would mean this service's own identity is wrong, so they count as a failed call.
 */
export function createInternalClient(options: InternalClientOptions): InternalClient {
  const { service, timeoutMs, internalTokens } = options;
  // Several replicas: calls go to each in turn, and one that refuses the connection (nothing was
  // sent) is passed over for the next.
  const bases = options.baseUrl.split(',').map((url) => url.trim().replace(/\/+$/, '')).filter(Boolean);
  let turn = 0;
  const fail = (reason: InternalCallFailure, message: string, extra: { status?: number; cause?: unknown } = {}) =>
    new InternalCallError(reason, message, { dependency: service, ...extra });

  return {
    async request(call) {
      const target = `${call.path}${call.query ? `?${new URLSearchParams(call.query)}` : ''}`;
      const signal = AbortSignal.timeout(timeoutMs);
      let status: number;
      let text: string;
      const first = turn;
      turn = (turn + 1) % bases.length;
      const send = async (attempt: number): Promise<Response> => {
        try {
          return await fetch(`${bases[(first + attempt) % bases.length]}${target}`, {
            method: call.method ?? 'GET',
            headers: {
              accept: 'application/json',
              ...(call.body === undefined ? {} : { 'content-type': 'application/json' }),
              ...call.headers,
              ...internalTokens.headersFor(call.user, call.requestId),
            },
            ...(call.body === undefined ? {} : { body: JSON.stringify(call.body) }),
            signal,
          });
        } catch (err) {
          const refused = (err as { cause?: { code?: string } }).cause?.code === 'ECONNREFUSED';
          if (refused && attempt + 1 < bases.length && !signal.aborted) return send(attempt + 1);
          throw err;
        }
      };
      try {
        const res = await send(0);
        status = res.status;
        text = await res.text();
      } catch (err) {
        if (signal.aborted) throw fail('timeout', `The ${service} service did not answer in time`, { cause: err });
        throw fail('unreachable', `The ${service} service is unavailable; try again later`, { cause: err });
      }
      let body: unknown;
      try {
        body = JSON.parse(text);
      } catch {
        body = undefined;
      }
      if (status < 200 || status > 299) {
        if (status >= 400 && status < 500 && status !== 401 && status !== 403) {
          const refusal = refusalBody.safeParse(body);
          if (refusal.success) throw new AppError(status, refusal.data.error, refusal.data.message, refusal.data.details ?? {});
        }
        throw fail('bad_status', status === 503 ? `The ${service} service is unavailable; try again later` : `The ${service} service failed`, { status });
      }
      if (body === undefined) throw fail('bad_answer', `The ${service} service answered with something that is not JSON`);
      const parsed = call.response.safeParse(body);
      if (!parsed.success) throw fail('bad_answer', `The ${service} service answered in an unexpected shape`, { cause: parsed.error });
      return parsed.data;
    },
  };
}
