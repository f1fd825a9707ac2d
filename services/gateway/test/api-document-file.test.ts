import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildApiDocument } from '../src/docs/api-document.js';
import { readApiDocument } from '../src/docs/api-document-file.js';

const written = resolve(import.meta.dirname, '..', 'dist', 'api-document.json');

describe('the API document the build writes for the running gateway', () => {
  it('is the one built from every service’s route schemas', () => {
    const document = readApiDocument(written) as { paths: Record<string, unknown> };
    expect(document).toEqual(JSON.parse(JSON.stringify(buildApiDocument())));
    expect(Object.keys(document.paths)).toEqual(
      expect.arrayContaining(['/api/v1/auth/login', '/api/v1/documents/upload', '/api/v1/stt/transcribe', '/api/v1/tts/synthesize']),
    );
  });

  it('stops the start with what to run when the build did not write it', () => {
    expect(() => readApiDocument(join(import.meta.dirname, 'no-such-document.json'))).toThrow(/pnpm build/);
  });
});
