import { z } from 'zod';

/** A timestamp as the services write it: `Date#toISOString()`. */
export const isoTimestamp = z.iso.datetime();

/** The body of a successful DELETE: the id of what is gone. */
export function deletedResult<T extends z.ZodType>(id: T) {
  return z.object({ id, deleted: z.literal(true) });
}
