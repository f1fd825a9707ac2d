import { describe, expect, it } from 'vitest';
import { ConfigError } from '@learner/common/config';
import { loadConfig } from './config.js';

const base = { DATABASE_URL: 'postgres://localhost/quiz', INTERNAL_TOKEN_SECRET: 'a-secret-of-enough-length' };

describe('quiz configuration', () => {
  it('defaults to the local document service and extractive questions', () => {
    const config = loadConfig(base);
    expect(config).toMatchObject({ PORT: 5005, DOCUMENT_SERVICE_URL: 'http://127.0.0.1:5004', DOCUMENT_TIMEOUT_MS: 10_000 });
    expect(config.LLM_BASE_URL).toBeUndefined();
  });

  it('names every bad key at once', () => {
    expect(() => loadConfig({ ...base, DOCUMENT_SERVICE_URL: 'not a url', DOCUMENT_TIMEOUT_MS: '5', LLM_BASE_URL: 'nope' })).toThrow(ConfigError);
    try {
      loadConfig({ ...base, DOCUMENT_SERVICE_URL: 'not a url', DOCUMENT_TIMEOUT_MS: '5', LLM_BASE_URL: 'nope' });
    } catch (err) {
      const problems = (err as ConfigError).problems.join('\n');
      expect(problems).toMatch(/DOCUMENT_SERVICE_URL/);
      expect(problems).toMatch(/DOCUMENT_TIMEOUT_MS/);
      expect(problems).toMatch(/LLM_BASE_URL/);
    }
  });
});
