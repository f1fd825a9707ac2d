import { exitOnConfigError } from '@learner/common/config';
import { closeServer, listen, onShutdown } from '@learner/common/http';
import { startPlatform } from '@learner/common/service';
import { createApp } from './app.js';
import { loadConfig } from './config.js';
import { createChatDependencies } from './dependencies.js';

const config = exitOnConfigError(() => loadConfig(process.env));
const platform = await startPlatform({ service: 'chat', database: 'chat', config, fromDir: import.meta.dirname });
const chat = createChatDependencies({ config, internalTokens: platform.internalTokens, logger: platform.logger });
const app = createApp({
  ...platform,
  tutor: chat.tutor,
  documents: chat.documents,
  optionalChecks: chat.optionalChecks,
  readyTimeoutMs: config.READY_TIMEOUT_MS,
});
// Handlers were registered by createApp.
await platform.events.start();
const server = await listen(app, config.PORT);
platform.logger.info({ port: config.PORT, documents: config.DOCUMENT_SERVICE_URL, writer: chat.writer }, 'chat service listening');

onShutdown(platform.logger, async () => {
  await closeServer(server);
  await platform.close();
});
