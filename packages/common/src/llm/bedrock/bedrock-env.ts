import { z } from 'zod';
import { envFields } from '../../config/index.js';
import { awsClientConfig } from '../../storage/aws-config.js';
import { storageEnvSchema } from '../../storage/config.js';
import type { LlmClient } from '../llm-client.js';
import { createBedrockClient } from './bedrock-client.js';

/** The keys of Amazon Bedrock (Converse); credentials and region are the shared AWS keys. */
export const bedrockEnvSchema = z.object({
  BEDROCK_MODEL_ID: z
    .string()
    .min(1)
    .optional()
    .describe('Amazon Bedrock model id (Converse API); unset = no Bedrock'),
  BEDROCK_ENDPOINT_URL: envFields.url().optional().describe('Bedrock runtime endpoint; unset = the region default'),
  ...storageEnvSchema.pick({ AWS_REGION: true, AWS_ACCESS_KEY_ID: true, AWS_SECRET_ACCESS_KEY: true, AWS_SESSION_TOKEN: true }).shape,
});

export type BedrockEnv = z.infer<typeof bedrockEnvSchema> & { LLM_TIMEOUT_MS: number };

/** Bedrock when a model id is configured, with the same deadline as the OpenAI-compatible endpoint. */
export function bedrockClientFromEnv(env: BedrockEnv): LlmClient | undefined {
  if (!env.BEDROCK_MODEL_ID) return undefined;
  return createBedrockClient({
    modelId: env.BEDROCK_MODEL_ID,
    timeoutMs: env.LLM_TIMEOUT_MS,
    ...awsClientConfig({ ...env, AWS_ENDPOINT_URL: env.BEDROCK_ENDPOINT_URL }),
  });
}
