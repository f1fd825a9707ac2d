import { exitOnConfigError } from '@learner/common/config';
import { closeServer, listen, onShutdown } from '@learner/common/http';
import { startPlatform } from '@learner/common/service';
import { llmClientFromEnv } from '@learner/common/llm';
import { bedrockClientFromEnv } from '@learner/common/llm/bedrock';
import { createApp } from './app.js';
import { loadConfig } from './config.js';
import { createDocumentClient } from './documents/document-client.js';
import { createLlmAnswerWriter } from './tutor/llm-answer-writer.js';
import { createTutor } from './tutor/tutor.js';

const config = exitOnConfigError(() => loadConfig(process.env));
const platform = await startPlatform({ service: 'chat', database: 'chat', config, fromDir: import.meta.dirname });
const documents = createDocumentClient({
  baseUrl: config.DOCUMENT_SERVICE_URL,
  timeoutMs: config.DOCUMENT_TIMEOUT_MS,
  internalTokens: platform.internalTokens,
});
function answerWriter() {
  const llm = llmClientFromEnv(config);
  if (llm) return createLlmAnswerWriter({ name: 'llm', client: llm });
  const bedrock = bedrockClientFromEnv(config);
  if (bedrock) return createLlmAnswerWriter({ name: 'bedrock', client: bedrock });
  return undefined;
}
const writer = answerWriter();
const tutor = createTutor({ search: documents, logger: platform.logger, ...(writer ? { writer } : {}) });
const app = createApp({ ...platform, tutor, documents, readyTimeoutMs: config.READY_TIMEOUT_MS });
// Handlers were registered by createApp.
await platform.events.start();
const server = await listen(app, config.PORT);
platform.logger.info({ port: config.PORT, documents: config.DOCUMENT_SERVICE_URL, writer: writer?.name ?? 'extractive' }, 'chat service listening');

onShutdown(platform.logger, async () => {
  await closeServer(server);
  await platform.close();
});
