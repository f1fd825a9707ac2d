import { z } from 'zod';
import { envFields } from '../config/index.js';
import { awsClientConfig } from '../storage/aws-config.js';
import { storageEnvSchema } from '../storage/config.js';
import { createBedrockClient } from './bedrock-client.js';
import type { LlmClient } from './llm-client.js';
import { createOpenAiCompatibleClient } from './openai-compatible-client.js';

type ModelField<Model> = Model extends string ? z.ZodDefault<z.ZodString> : z.ZodOptional<z.ZodString>;

/**
 * The keys of an optional OpenAI-compatible endpoint. Each service passes its own defaults:
 * without a default model, `LLM_MODEL` stays unset and the service decides what that means.
 */
export function llmEnvSchema<const Model extends string | undefined = undefined>(defaults: { timeoutMs: number; model?: Model }) {
  const model = z.string().min(1).describe('model name sent to the LLM endpoint');
  return z.object({
    LLM_BASE_URL: envFields
      .url()
      .optional()
      .describe('OpenAI-compatible API base (…/v1); unset = the local extractive methods only'),
    LLM_API_KEY: z.string().optional().describe('bearer key of the LLM endpoint, when it needs one'),
    LLM_MODEL: (defaults.model === undefined ? model.optional() : model.default(defaults.model)) as ModelField<Model>,
    LLM_TIMEOUT_MS: envFields
      .int(defaults.timeoutMs, 100)
      .describe('longest wait for one LLM call; after it the extractive result stands'),
  });
}

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

export interface LlmEnv {
  LLM_BASE_URL?: string | undefined;
  LLM_API_KEY?: string | undefined;
  LLM_MODEL?: string | undefined;
  LLM_TIMEOUT_MS: number;
}

export type BedrockEnv = z.infer<typeof bedrockEnvSchema> & { LLM_TIMEOUT_MS: number };

/** The OpenAI-compatible endpoint when both its URL and a model are configured. */
export function llmClientFromEnv(env: LlmEnv): LlmClient | undefined {
  if (!env.LLM_BASE_URL || !env.LLM_MODEL) return undefined;
  return createOpenAiCompatibleClient({
    baseUrl: env.LLM_BASE_URL,
    apiKey: env.LLM_API_KEY,
    model: env.LLM_MODEL,
    timeoutMs: env.LLM_TIMEOUT_MS,
  });
}

/** Bedrock when a model id is configured, with the same deadline as the OpenAI-compatible endpoint. */
export function bedrockClientFromEnv(env: BedrockEnv): LlmClient | undefined {
  if (!env.BEDROCK_MODEL_ID) return undefined;
  return createBedrockClient({
    modelId: env.BEDROCK_MODEL_ID,
    timeoutMs: env.LLM_TIMEOUT_MS,
    ...awsClientConfig({ ...env, AWS_ENDPOINT_URL: env.BEDROCK_ENDPOINT_URL }),
  });
}
