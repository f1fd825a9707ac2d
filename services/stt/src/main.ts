import { exitOnConfigError } from '@learner/common/config';
import { closeServer, listen, onShutdown } from '@learner/common/http';
import { startPlatform } from '@learner/common/service';
import { createStorageFromEnv } from '@learner/common/storage';
import { createApp } from './app.js';
import { loadConfig } from './config.js';
import { createSttDependencies } from './dependencies.js';

const config = exitOnConfigError(() => loadConfig(process.env));
const platform = await startPlatform({ service: 'stt', database: 'stt', config, fromDir: import.meta.dirname });
const { logger } = platform;
const { storage, local, signingSecret } = createStorageFromEnv(config, 'stt', config.INTERNAL_TOKEN_SECRET, logger);
const stt = await createSttDependencies({ config, pool: platform.pool, storage, internalTokens: platform.internalTokens, logger });

const app = createApp({
  ...platform,
  ...stt,
  checks: { ...platform.checks, ...stt.checks },
  maxFileSize: config.MAX_FILE_SIZE,
  ...(local ? { localFiles: { storage: local, signingSecret } } : {}),
  erasure: { events: platform.events, storage, recognizer: stt.recognizer },
  events: platform.events,
  readyTimeoutMs: config.READY_TIMEOUT_MS,
});
await platform.events.start();
const server = await listen(app, config.PORT);
stt.worker.start();
logger.info({ port: config.PORT }, 'stt service listening');

onShutdown(logger, async () => {
  await closeServer(server);
  await stt.worker.stop();
  await platform.close();
});
