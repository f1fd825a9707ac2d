import { describe, expect, it } from 'vitest';
import { ConfigError } from '@learner/common/config';
import { loadConfig } from './config.js';

const base = { DATABASE_URL: 'postgres://localhost/chat', INTERNAL_TOKEN_SECRET: 'a-secret-of-sixteen-chars' };

describe('chat configuration', () => {
  it('defaults to port 5003 and the document service on 5004 with a 5 s timeout, without an LLM', () => {
    const config = loadConfig(base);
    expect(config).toMatchObject({ PORT: 5003, DOCUMENT_SERVICE_URL: 'http://127.0.0.1:5004', DOCUMENT_TIMEOUT_MS: 5000 });
    expect(config.LLM_BASE_URL).toBeUndefined();
  });

  it('names every bad key at once', () => {
    try {
      loadConfig({ ...base, DOCUMENT_SERVICE_URL: 'not a url', DOCUMENT_TIMEOUT_MS: '-1', LLM_BASE_URL: 'http://llm.local/v1' });
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(ConfigError);
      const problems = (err as ConfigError).problems.join('\n');
      expect(problems).toMatch(/DOCUMENT_SERVICE_URL/);
      expect(problems).toMatch(/DOCUMENT_TIMEOUT_MS/);
    }
  });

  it('requires a model name when an LLM endpoint is configured', () => {
    expect(() => loadConfig({ ...base, LLM_BASE_URL: 'http://llm.local/v1' })).toThrow(/LLM_MODEL/);
    expect(loadConfig({ ...base, LLM_BASE_URL: 'http://llm.local/v1', LLM_MODEL: 'm' }).LLM_MODEL).toBe('m');
  });

  it('takes a Bedrock model with the AWS region, but not together with an OpenAI-compatible endpoint', () => {
    const config = loadConfig({ ...base, BEDROCK_MODEL_ID: 'anthropic.claude-3-haiku-20240307-v1:0', AWS_REGION: 'eu-west-1' });
    expect(config).toMatchObject({ BEDROCK_MODEL_ID: 'anthropic.claude-3-haiku-20240307-v1:0', AWS_REGION: 'eu-west-1' });
    expect(loadConfig(base).AWS_REGION).toBe('us-east-1');
    expect(() => loadConfig({ ...base, BEDROCK_MODEL_ID: 'm', LLM_BASE_URL: 'http://llm.local/v1', LLM_MODEL: 'm' })).toThrow(/BEDROCK_MODEL_ID/);
  });
});
