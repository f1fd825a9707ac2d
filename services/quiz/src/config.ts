import type { z } from 'zod';
import { envFields, parseConfig, serviceEnvSchema, type Env } from '@learner/common/config';
import { llmEnvSchema } from '@learner/common/llm';

const schema = serviceEnvSchema.extend({
  PORT: envFields.port(5005),
  DOCUMENT_SERVICE_URL: envFields.serviceUrl('http://127.0.0.1:5004').describe('base URL of the document service (internal routes)'),
  DOCUMENT_TIMEOUT_MS: envFields.int(10_000, 100).describe('longest wait for a document text from the document service'),
  ...llmEnvSchema({ timeoutMs: 30_000, model: 'gpt-4o-mini' }).shape,
});

export type QuizConfig = z.infer<typeof schema>;

export function loadConfig(env: Env): QuizConfig {
  return parseConfig(schema, env);
}
