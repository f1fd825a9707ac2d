import { describe, expect, it } from 'vitest';
import { ConfigError } from '@learner/common/config';
import { embeddingsProviderOf, loadConfig, ocrEngineOf } from './config.js';

const base = { DATABASE_URL: 'postgres://localhost/document', INTERNAL_TOKEN_SECRET: 'a-secret-of-enough-length' };

describe('document service configuration', () => {
  it('defaults to port 5004, a 10 MB limit, tesseract and no LLM', () => {
    const config = loadConfig(base);
    expect(config).toMatchObject({ PORT: 5004, MAX_FILE_SIZE: 10_485_760, OCR_ENGINE: 'auto' });
    expect(config.LLM_BASE_URL).toBeUndefined();
    expect(ocrEngineOf(config)).toBe('tesseract');
  });

  it('chooses Textract when AWS is configured: a bucket with credentials, or an AWS endpoint', () => {
    expect(ocrEngineOf(loadConfig({ ...base, S3_BUCKET: 'b', AWS_ACCESS_KEY_ID: 'k', AWS_SECRET_ACCESS_KEY: 's' }))).toBe('textract');
    expect(ocrEngineOf(loadConfig({ ...base, AWS_ENDPOINT_URL: 'http://127.0.0.1:4566' }))).toBe('textract');
    expect(ocrEngineOf(loadConfig({ ...base, S3_BUCKET: 'b' }))).toBe('tesseract');
    expect(ocrEngineOf(loadConfig({ ...base, AWS_ENDPOINT_URL: 'http://x', OCR_ENGINE: 'tesseract' }))).toBe('tesseract');
  });

  it('names every bad key at once', () => {
    expect(() => loadConfig({ ...base, MAX_FILE_SIZE: 'lots', OCR_ENGINE: 'eyes' })).toThrow(ConfigError);
    try {
      loadConfig({ ...base, MAX_FILE_SIZE: 'lots', OCR_ENGINE: 'eyes' });
    } catch (err) {
      expect((err as ConfigError).problems.map((p) => p.split(':')[0])).toEqual(['MAX_FILE_SIZE', 'OCR_ENGINE']);
    }
  });

  it('embeds passages through an OpenAI-compatible endpoint only when its URL is set, or when Bedrock is chosen', () => {
    expect(embeddingsProviderOf(loadConfig(base))).toBe('none');
    expect(embeddingsProviderOf(loadConfig({ ...base, EMBEDDINGS_BASE_URL: 'http://127.0.0.1:8089/v1' }))).toBe('openai');
    expect(embeddingsProviderOf(loadConfig({ ...base, EMBEDDINGS_BASE_URL: 'http://x/v1', EMBEDDINGS_PROVIDER: 'none' }))).toBe('none');
    expect(embeddingsProviderOf(loadConfig({ ...base, EMBEDDINGS_PROVIDER: 'bedrock' }))).toBe('bedrock');
    expect(() => loadConfig({ ...base, EMBEDDINGS_PROVIDER: 'openai' })).toThrow(/EMBEDDINGS_BASE_URL: required when EMBEDDINGS_PROVIDER=openai/);
  });
});
