import type { z } from 'zod';
import { ValidationError } from '../errors/index.js';

/** Turns zod issues into `{ "field.path": "message" }`. */
export function issuesToDetails(issues: readonly z.core.$ZodIssue[]): Record<string, string> {
  const details: Record<string, string> = {};
  for (const issue of issues) {
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) details[[...issue.path, key].join('.')] = 'unknown field';
      continue;
    }
    const key = issue.path.length ? issue.path.join('.') : '_';
    details[key] ??= issue.message;
  }
  return details;
}

/** Parses untrusted input; a failure is a 400 naming each bad field. */
export function parseInput<S extends z.ZodType>(
  schema: S,
  input: unknown,
  what = 'request body',
): z.infer<S> {
  const result = schema.safeParse(input ?? {});
  if (!result.success) {
    throw new ValidationError(`The ${what} is not valid`, issuesToDetails(result.error.issues));
  }
  return result.data;
}
