import { z } from 'zod';
import { envFields } from '../config/index.js';
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

export interface LlmEnv {
  LLM_BASE_URL?: string | undefined;
  LLM_API_KEY?: string | undefined;
  LLM_MODEL?: string | undefined;
  LLM_TIMEOUT_MS: number;
}

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
