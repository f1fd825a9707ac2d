import { AppError } from '../errors/index.js';

/**
 * What a call that should be refused was refused with: the AppError's status, type and details
 * (an internal client throws the other service's refusal as one). Undefined when the call
 * succeeded; anything else it threw, as it was.
 */
export function refusalOf(call: Promise<unknown>): Promise<unknown> {
  return call.then(
    () => undefined,
    (err: unknown) => (err instanceof AppError ? { status: err.status, type: err.type, details: err.details } : err),
  );
}
