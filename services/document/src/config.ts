import { z } from 'zod';
import { envFields, parseConfig, serviceEnvSchema, type Env } from '@learner/common/config';
import { llmEnvSchema } from '@learner/common/llm';
import { awsCredentials, storageEnvSchema } from '@learner/common/storage';

const schema = serviceEnvSchema.extend(storageEnvSchema.shape).extend({
  PORT: envFields.port(5004),
  MAX_FILE_SIZE: envFields.int(10_485_760, 1).describe('largest accepted upload in bytes; larger answers 413'),
  OCR_ENGINE: z
    .enum(['auto', 'textract', 'tesseract'])
    .default('auto')
    .describe('auto = Textract when AWS is configured (S3_BUCKET + credentials, or AWS_ENDPOINT_URL), tesseract otherwise'),
  TESSERACT_LANG: z.string().default('eng').describe('tesseract language pack(s), e.g. eng or eng+deu'),
  PDF_TIMEOUT_MS: envFields.int(120_000, 1000).describe('longest reading one PDF\'s text layers may take'),
  OCR_TIMEOUT_MS: envFields.int(180_000, 1000).describe('longest one OCR call (one page, or one Textract job) may take'),
  TEXTRACT_POLL_MS: envFields.int(2000, 10).describe('interval between Textract job status polls'),
  PROCESSING_CONCURRENCY: envFields.int(1, 1).describe('documents processed at once by this process'),
  PROCESSING_POLL_MS: envFields.int(2000, 50).describe('how often the worker looks for waiting documents'),
  PROCESSING_LEASE_MS: envFields.int(60_000, 1000).describe('a document whose worker stopped renewing this long is taken up again'),
  PROCESSING_MAX_ATTEMPTS: envFields.int(3, 1).describe('claims of one document before it is marked failed'),
  ...llmEnvSchema({ timeoutMs: 30_000, model: 'gpt-4o-mini' }).shape,
});

export type DocumentConfig = z.infer<typeof schema>;

export function loadConfig(env: Env): DocumentConfig {
  return parseConfig(schema, env);
}

/** Textract is used when asked for, or (auto) when the AWS account or an emulator is configured. */
export function ocrEngineOf(config: DocumentConfig): 'textract' | 'tesseract' {
  if (config.OCR_ENGINE !== 'auto') return config.OCR_ENGINE;
  const awsConfigured = Boolean((config.S3_BUCKET && awsCredentials(config)) || config.AWS_ENDPOINT_URL);
  return awsConfigured ? 'textract' : 'tesseract';
}
