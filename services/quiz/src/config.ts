import { z } from 'zod';
import { envFields, parseConfig, serviceEnvSchema, type Env } from '@learner/common/config';

const schema = serviceEnvSchema.extend({
  PORT: envFields.port(5005),
  DOCUMENT_SERVICE_URL: z.url().default('http://127.0.0.1:5004').describe('base URL of the document service (internal routes)'),
  DOCUMENT_TIMEOUT_MS: envFields.int(10_000, 100).describe('longest wait for a document text from the document service'),
  LLM_BASE_URL: z.url().optional().describe('OpenAI-compatible endpoint that writes questions; unset = extractive questions'),
  LLM_API_KEY: z.string().optional().describe('bearer key of the LLM endpoint'),
  LLM_MODEL: z.string().default('gpt-4o-mini').describe('model name sent to the LLM endpoint'),
  LLM_TIMEOUT_MS: envFields.int(30_000, 100).describe('longest wait for the LLM; on failure the extractive generator answers'),
});

export type QuizConfig = z.infer<typeof schema>;

export function loadConfig(env: Env): QuizConfig {
  return parseConfig(schema, env);
}
