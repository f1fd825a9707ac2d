import { describe, expect, it, onTestFinished } from 'vitest';
import { parseConfig } from '../../config/index.js';
import { startBedrockStandIn } from '../../testing/index.js';
import { bedrockClientFromEnv, bedrockEnvSchema } from './bedrock-env.js';

const prompt = { system: 's', user: 'u', temperature: 0 };

describe('the Bedrock configuration', () => {
  it('makes a Bedrock client only when a model id is set, signing with the AWS keys', async () => {
    const bedrock = await startBedrockStandIn(() => ({ status: 200, body: { output: { message: { role: 'assistant', content: [{ text: 'from Bedrock' }] } }, stopReason: 'end_turn' } }));
    onTestFinished(() => bedrock.close());
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
