import { awsClientConfig } from '@learner/common/storage';
import { embeddingsProviderOf, type DocumentConfig } from '../config.js';
import { createBedrockEmbedder } from './bedrock-embedder.js';
import type { Embedder } from './embedder.js';
import { createOpenAiEmbedder } from './openai-embedder.js';

/** The embedding adapter the configuration chooses; undefined = full-text search only. */
export function embedderFromConfig(config: DocumentConfig): Embedder | undefined {
  const provider = embeddingsProviderOf(config);
  if (provider === 'bedrock') {
    return createBedrockEmbedder({
      modelId: config.EMBEDDINGS_BEDROCK_MODEL_ID,
      dimensions: config.EMBEDDINGS_DIMENSIONS,
      timeoutMs: config.EMBEDDINGS_TIMEOUT_MS,
      queryTimeoutMs: config.EMBEDDINGS_QUERY_TIMEOUT_MS,
      ...awsClientConfig({ ...config, AWS_ENDPOINT_URL: config.BEDROCK_ENDPOINT_URL }),
    });
  }
  if (provider === 'openai' && config.EMBEDDINGS_BASE_URL) {
    return createOpenAiEmbedder({
      baseUrl: config.EMBEDDINGS_BASE_URL,
      model: config.EMBEDDINGS_MODEL,
      apiKey: config.EMBEDDINGS_API_KEY,
      inputType: config.EMBEDDINGS_INPUT_TYPE,
      queryPrefix: config.EMBEDDINGS_QUERY_PREFIX,
      passagePrefix: config.EMBEDDINGS_PASSAGE_PREFIX,
      batchSize: config.EMBEDDINGS_BATCH_SIZE,
      timeoutMs: config.EMBEDDINGS_TIMEOUT_MS,
      queryTimeoutMs: config.EMBEDDINGS_QUERY_TIMEOUT_MS,
    });
  }
  return undefined;
}
