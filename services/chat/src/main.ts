import { exitOnConfigError } from '@learner/common/config';
import { closeServer, listen, onShutdown } from '@learner/common/http';
import { startPlatform } from '@learner/common/service';
import { awsClientConfig } from '@learner/common/storage';
import { createApp } from './app.js';
import { loadConfig } from './config.js';
import { createDocumentClient } from './documents/document-client.js';
import { createBedrockWriter } from './tutor/bedrock-writer.js';
import { createOpenAiWriter } from './tutor/openai-writer.js';
import { createTutor } from './tutor/tutor.js';

const config = exitOnConfigError(() => loadConfig(process.env));
const platform = await startPlatform({ service: 'chat', database: 'chat', config, fromDir: import.meta.dirname });
const documents = createDocumentClient({
  baseUrl: config.DOCUMENT_SERVICE_URL,
  timeoutMs: config.DOCUMENT_TIMEOUT_MS,
  internalTokens: platform.internalTokens,
});
function answerWriter() {
  if (config.LLM_BASE_URL && config.LLM_MODEL) {
    return createOpenAiWriter({
      baseUrl: config.LLM_BASE_URL,
      model: config.LLM_MODEL,
      timeoutMs: config.LLM_TIMEOUT_MS,
      ...(config.LLM_API_KEY ? { apiKey: config.LLM_API_KEY } : {}),
    });
  }
  if (config.BEDROCK_MODEL_ID) {
    return createBedrockWriter({
      modelId: config.BEDROCK_MODEL_ID,
      timeoutMs: config.LLM_TIMEOUT_MS,
      ...awsClientConfig({ ...config, AWS_ENDPOINT_URL: config.BEDROCK_ENDPOINT_URL }),
    });
  }
  return undefined;
}
const writer = answerWriter();
const tutor = createTutor({ search: documents, logger: platform.logger, ...(writer ? { writer } : {}) });
const app = createApp({ ...platform, tutor, documents, readyTimeoutMs: config.READY_TIMEOUT_MS });
const server = await listen(app, config.PORT);
platform.logger.info({ port: config.PORT, documents: config.DOCUMENT_SERVICE_URL, writer: writer?.name ?? 'extractive' }, 'chat service listening');

onShutdown(platform.logger, async () => {
  await closeServer(server);
  await platform.close();
});
