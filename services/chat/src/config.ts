import { z } from 'zod';
import { envFields, parseConfig, serviceEnvSchema, type Env } from '@learner/common/config';
import { storageEnvSchema } from '@learner/common/storage';

const schema = serviceEnvSchema
  .extend({
    PORT: envFields.port(5003),
    DOCUMENT_SERVICE_URL: envFields
      .url()
      .default('http://127.0.0.1:5004')
      .describe('Base URL of the document service, whose internal search grounds the answers'),
    DOCUMENT_TIMEOUT_MS: envFields.int(5000, 50).describe('How long one call to the document service may take'),
    LLM_BASE_URL: envFields
      .url()
      .optional()
      .describe('OpenAI-compatible API base (…/v1); unset = extractive answers only'),
    LLM_API_KEY: z.string().optional().describe('Bearer key of the LLM endpoint, when it needs one'),
    LLM_MODEL: z.string().min(1).optional().describe('Model name sent to the LLM endpoint'),
    LLM_TIMEOUT_MS: envFields.int(20_000, 100).describe('How long one LLM call may take before falling back'),
    BEDROCK_MODEL_ID: z
      .string()
      .min(1)
      .optional()
      .describe('Amazon Bedrock model id (Converse API) that words the answers; unset = no Bedrock'),
    BEDROCK_ENDPOINT_URL: envFields.url().optional().describe('Bedrock runtime endpoint; unset = the region default'),
    ...storageEnvSchema.pick({ AWS_REGION: true, AWS_ACCESS_KEY_ID: true, AWS_SECRET_ACCESS_KEY: true, AWS_SESSION_TOKEN: true })
      .shape,
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
