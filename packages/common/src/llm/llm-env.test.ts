import { describe, expect, it, onTestFinished } from 'vitest';
import { ConfigError, parseConfig } from '../config/index.js';
import { startChatCompletionsStandIn } from '../testing/index.js';
import { llmClientFromEnv, llmEnvSchema } from './llm-env.js';

const prompt = { system: 's', user: 'u', temperature: 0 };

describe('the LLM configuration', () => {
  it('keeps each service’s defaults: a default model or none, and its own deadline', () => {
    expect(parseConfig(llmEnvSchema({ timeoutMs: 30_000, model: 'gpt-4o-mini' }), {})).toEqual({ LLM_MODEL: 'gpt-4o-mini', LLM_TIMEOUT_MS: 30_000 });
    expect(parseConfig(llmEnvSchema({ timeoutMs: 20_000 }), { LLM_MODEL: '' })).toEqual({ LLM_TIMEOUT_MS: 20_000 });
  });

  it('rejects an endpoint that is not a URL and a deadline under 100 ms', () => {
    let problems = '';
    try {
      parseConfig(llmEnvSchema({ timeoutMs: 20_000 }), { LLM_BASE_URL: 'llm.local', LLM_TIMEOUT_MS: '50' });
    } catch (err) {
      expect(err).toBeInstanceOf(ConfigError);
      problems = (err as ConfigError).problems.join('\n');
    }
    expect(problems).toMatch(/LLM_BASE_URL/);
    expect(problems).toMatch(/LLM_TIMEOUT_MS/);
  });

  it('makes an OpenAI-compatible client only when both an endpoint and a model are set', async () => {
    const endpoint = await startChatCompletionsStandIn(() => ({ status: 200, body: { choices: [{ message: { content: 'from the endpoint' } }] } }));
    onTestFinished(() => endpoint.close());
    expect(llmClientFromEnv({ LLM_MODEL: 'm', LLM_TIMEOUT_MS: 2000 })).toBeUndefined();
    expect(llmClientFromEnv({ LLM_BASE_URL: endpoint.url, LLM_TIMEOUT_MS: 2000 })).toBeUndefined();
    const client = llmClientFromEnv({ LLM_BASE_URL: endpoint.url, LLM_API_KEY: 'k', LLM_MODEL: 'm', LLM_TIMEOUT_MS: 2000 });
    expect(await client!.complete(prompt)).toBe('from the endpoint');
    expect(endpoint.requests.at(-1)).toMatchObject({ headers: { authorization: 'Bearer k' }, body: { model: 'm' } });
  });
});
