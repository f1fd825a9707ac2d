import { exitOnConfigError } from '@learner/common/config';
import { closeServer, listen, onShutdown } from '@learner/common/http';
import { startPlatform } from '@learner/common/service';
import { createApp } from './app.js';
import { loadConfig } from './config.js';
import { createDocumentSearch } from './tutor/document-search.js';
import { createTutor } from './tutor/tutor.js';

const config = exitOnConfigError(() => loadConfig(process.env));
const platform = await startPlatform({ service: 'chat', database: 'chat', config, fromDir: import.meta.dirname });
const search = createDocumentSearch({
  baseUrl: config.DOCUMENT_SERVICE_URL,
  timeoutMs: config.DOCUMENT_TIMEOUT_MS,
  internalTokens: platform.internalTokens,
});
const tutor = createTutor({ search, logger: platform.logger });
const app = createApp({ ...platform, tutor, readyTimeoutMs: config.READY_TIMEOUT_MS });
const server = await listen(app, config.PORT);
platform.logger.info({ port: config.PORT, documents: config.DOCUMENT_SERVICE_URL }, 'chat service listening');

onShutdown(platform.logger, async () => {
  await closeServer(server);
  await platform.close();
});
