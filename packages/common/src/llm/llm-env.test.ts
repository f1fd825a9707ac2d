import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, parseConfig } from '../config/index.js';
import {
  startBedrockStandIn,
  startChatCompletionsStandIn,
  type ChatCompletionsBody,
  type ConverseBody,
  type LlmStandIn,
} from '../testing/index.js';
import { bedrockClientFromEnv, bedrockEnvSchema, llmClientFromEnv, llmEnvSchema } from './llm-env.js';

let endpoint: LlmStandIn<ChatCompletionsBody>;
let bedrock: LlmStandIn<ConverseBody>;

beforeAll(async () => {
  endpoint = await startChatCompletionsStandIn(() => ({ status: 200, body: { choices: [{ message: { content: 'from the endpoint' } }] } }));
  bedrock = await startBedrockStandIn(() => ({ status: 200, body: { output: { message: { role: 'assistant', content: [{ text: 'from Bedrock' }] } }, stopReason: 'end_turn' } }));
});
afterAll(async () => {
  await endpoint.close();
  await bedrock.close();
});

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
    expect(llmClientFromEnv({ LLM_MODEL: 'm', LLM_TIMEOUT_MS: 2000 })).toBeUndefined();
    expect(llmClientFromEnv({ LLM_BASE_URL: endpoint.url, LLM_TIMEOUT_MS: 2000 })).toBeUndefined();
    const client = llmClientFromEnv({ LLM_BASE_URL: endpoint.url, LLM_API_KEY: 'k', LLM_MODEL: 'm', LLM_TIMEOUT_MS: 2000 });
    expect(await client!.complete(prompt)).toBe('from the endpoint');
    expect(endpoint.requests.at(-1)).toMatchObject({ headers: { authorization: 'Bearer k' }, body: { model: 'm' } });
  });

  it('makes a Bedrock client only when a model id is set, signing with the AWS keys', async () => {
    const env = parseConfig(bedrockEnvSchema, {});
    expect(env.AWS_REGION).toBe('us-east-1');
    expect(bedrockClientFromEnv({ ...env, LLM_TIMEOUT_MS: 2000 })).toBeUndefined();
    const configured = parseConfig(bedrockEnvSchema, {
      BEDROCK_MODEL_ID: 'amazon.nova-micro-v1:0',
      BEDROCK_ENDPOINT_URL: bedrock.url,
      AWS_REGION: 'eu-west-1',
      AWS_ACCESS_KEY_ID: 'AKIDTEST',
      AWS_SECRET_ACCESS_KEY: 'secret',
    });
    expect(await bedrockClientFromEnv({ ...configured, LLM_TIMEOUT_MS: 2000 })!.complete(prompt)).toBe('from Bedrock');
    const request = bedrock.requests.at(-1)!;
    expect(decodeURIComponent(request.path)).toBe('/model/amazon.nova-micro-v1:0/converse');
    expect(request.headers.authorization).toMatch(/Credential=AKIDTEST\/\d{8}\/eu-west-1\/bedrock\//);
  });
});
