import { exitOnConfigError } from '@learner/common/config';
import { closeServer, listen, onShutdown } from '@learner/common/http';
import { startPlatform } from '@learner/common/service';
import { createStorageFromEnv } from '@learner/common/storage';
import { createApp } from './app.js';
import { loadConfig } from './config.js';

const config = exitOnConfigError(() => loadConfig(process.env));
const platform = await startPlatform({ service: 'document', database: 'document', config, fromDir: import.meta.dirname });
const { storage, local, signingSecret } = createStorageFromEnv(
  config,
  'document',
  config.INTERNAL_TOKEN_SECRET,
  platform.logger,
);

const app = createApp({
  ...platform,
  checks: { ...platform.checks, storage: () => storage.check() },
  storage,
  localStorage: local,
  signingSecret,
  maxFileSize: config.MAX_FILE_SIZE,
  readyTimeoutMs: config.READY_TIMEOUT_MS,
});
const server = await listen(app, config.PORT);
platform.logger.info({ port: config.PORT }, 'document service listening');

onShutdown(platform.logger, async () => {
  await closeServer(server);
  await platform.close();
});
