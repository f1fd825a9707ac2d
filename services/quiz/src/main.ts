import { exitOnConfigError } from '@learner/common/config';
import { closeServer, listen, onShutdown } from '@learner/common/http';
import { llmClientFromEnv } from '@learner/common/llm';
import { startPlatform } from '@learner/common/service';
import { createApp } from './app.js';
import { loadConfig } from './config.js';
import { createDocumentClient } from './documents/document-client.js';
import { createLlmWriter } from './generation/llm-writer.js';
import { createWorkerWriter } from './generation/worker-writer.js';

const config = exitOnConfigError(() => loadConfig(process.env));
const platform = await startPlatform({ service: 'quiz', database: 'quiz', config, fromDir: import.meta.dirname });
const documents = createDocumentClient({
  baseUrl: config.DOCUMENT_SERVICE_URL,
  timeoutMs: config.DOCUMENT_TIMEOUT_MS,
  internalTokens: platform.internalTokens,
});
const extractive = createWorkerWriter();
const llm = llmClientFromEnv(config);
const writer = llm
  ? createLlmWriter({
      client: llm,
      extractive,
      onError: (err) => platform.logger.warn({ err }, 'LLM question writer failed; extractive questions used'),
    })
  : extractive;
const app = createApp({ ...platform, documents, writer, readyTimeoutMs: config.READY_TIMEOUT_MS });
// Handlers were registered by createApp.
await platform.events.start();
const server = await listen(app, config.PORT);
platform.logger.info(
  { port: config.PORT, document_service: config.DOCUMENT_SERVICE_URL, questions: config.LLM_BASE_URL ? 'llm' : 'extractive' },
  'quiz service listening',
);

onShutdown(platform.logger, async () => {
  await closeServer(server);
  await extractive.close();
  await platform.close();
});
