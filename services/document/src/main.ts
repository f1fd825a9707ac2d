import { exitOnConfigError } from '@learner/common/config';
import { closeServer, listen, onShutdown } from '@learner/common/http';
import { startPlatform } from '@learner/common/service';
import { createStorageFromEnv } from '@learner/common/storage';
import { createApp, retrievalDetails } from './app.js';
import { loadConfig } from './config.js';
import { createDocumentDependencies } from './dependencies.js';

const config = exitOnConfigError(() => loadConfig(process.env));
const platform = await startPlatform({ service: 'document', database: 'document', config, fromDir: import.meta.dirname });
const { storage, local, signingSecret } = createStorageFromEnv(
  config,
  'document',
  config.INTERNAL_TOKEN_SECRET,
  platform.logger,
);

const deps = createDocumentDependencies({
  config,
  pool: platform.pool,
  storage,
  internalTokens: platform.internalTokens,
  logger: platform.logger,
});
const { embedder } = deps;
platform.logger.info(retrievalDetails(embedder), `search: ${embedder ? `hybrid (full text + vectors of ${embedder.model}, scored in the service, no pgvector)` : 'full text only (no EMBEDDINGS_BASE_URL)'}`);

const app = createApp({
  ...platform,
  ...deps.app,
  checks: { ...platform.checks, ...deps.checks },
  storage,
  localStorage: local,
  signingSecret,
  maxFileSize: config.MAX_FILE_SIZE,
  readyTimeoutMs: config.READY_TIMEOUT_MS,
});
// Handlers were registered by createApp.
await platform.events.start();
const server = await listen(app, config.PORT);
deps.start();
platform.logger.info({ port: config.PORT }, 'document service listening');

onShutdown(platform.logger, async () => {
  await closeServer(server);
  await deps.stop();
  await platform.close();
});
