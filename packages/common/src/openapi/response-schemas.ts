import { z } from 'zod';

/** A timestamp as the services write it: `Date#toISOString()`. */
export const isoTimestamp = z.iso.datetime();

/** The body of a successful DELETE: the id of what is gone. */
export function deletedResult<T extends z.ZodType>(id: T) {
  return z.object({ id, deleted: z.literal(true) });
}

/** Path parameters that are database ids: a positive 32-bit integer, or a UUID. */
export const integerIdParams = z.object({ id: z.coerce.number().int().min(1).max(2_147_483_647) });
export const uuidIdParams = z.object({ id: z.uuid() });
