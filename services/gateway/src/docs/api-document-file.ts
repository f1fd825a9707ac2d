import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

/**
 * Where the build writes the platform's OpenAPI document (dist/api-document.json), so the running
 * gateway serves it without loading any other service's code or dependencies.
 */
export const API_DOCUMENT_FILE = resolve(import.meta.dirname, '..', 'api-document.json');

/** The document the build wrote; a missing file stops the start with what to run. */
export function readApiDocument(file: string = API_DOCUMENT_FILE): object {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    throw new Error(`${file} is missing: build the gateway (pnpm build) to write the API document`);
  }
  return JSON.parse(text) as object;
}
