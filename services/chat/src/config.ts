import type { z } from 'zod';
import { envFields, parseConfig, serviceEnvSchema, type Env } from '@learner/common/config';
import { llmEnvSchema } from '@learner/common/llm';
import { bedrockEnvSchema } from '@learner/common/llm/bedrock';

const schema = serviceEnvSchema
  .extend({
    PORT: envFields.port(5003),
    DOCUMENT_SERVICE_URL: envFields
      .serviceUrl('http://127.0.0.1:5004')
      .describe('Base URL of the document service, whose internal search grounds the answers'),
    DOCUMENT_TIMEOUT_MS: envFields.int(5000, 50).describe('How long one call to the document service may take'),
    ...llmEnvSchema({ timeoutMs: 20_000 }).shape,
    ...bedrockEnvSchema.shape,
  })
  .superRefine((config, ctx) => {
    if (config.LLM_BASE_URL && !config.LLM_MODEL) {
      ctx.addIssue({ code: 'custom', path: ['LLM_MODEL'], message: 'is required when LLM_BASE_URL is set' });
    }
    if (config.LLM_BASE_URL && config.BEDROCK_MODEL_ID) {
      ctx.addIssue({ code: 'custom', path: ['BEDROCK_MODEL_ID'], message: 'set either LLM_BASE_URL or BEDROCK_MODEL_ID, not both' });
    }
  });

export type ChatConfig = z.infer<typeof schema>;

export function loadConfig(env: Env): ChatConfig {
  return parseConfig(schema, env);
}
