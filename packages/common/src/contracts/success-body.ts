import { z } from 'zod';

/** The success envelope (seed §10.1) around `data`, as every service's `sendData` writes it. */
export function successBody<D extends z.ZodType>(data: D) {
  return z.object({ status: z.literal('success'), data, timestamp: z.string() });
}
