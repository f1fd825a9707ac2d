import { createMemoryCache, createRedisCache } from '@learner/common/cache';
import { exitOnConfigError } from '@learner/common/config';
import { closeServer, listen, onShutdown } from '@learner/common/http';
import { startPlatform } from '@learner/common/service';
import { createStorageFromEnv } from '@learner/common/storage';
import { createApp } from './app.js';
import { loadConfig } from './config.js';
import { createTtsDependencies } from './dependencies.js';

const config = exitOnConfigError(() => loadConfig(process.env));
const platform = await startPlatform({ service: 'tts', database: 'tts', config, fromDir: import.meta.dirname });
const { logger } = platform;
const { storage, local, signingSecret } = createStorageFromEnv(config, 'tts', config.INTERNAL_TOKEN_SECRET, logger);
const cache = platform.redis ? createRedisCache(platform.redis, 'tts:') : createMemoryCache();
const tts = await createTtsDependencies({ config, pool: platform.pool, storage, cache, logger });

// Finding the installed voices once now keeps the first request fast and logs a broken install early.
const voices = await tts.speech.listVoices().catch((err: unknown) => {
  logger.warn({ err }, 'could not list voices');
  return [];
});
logger.info({ voices: voices.length }, 'voices available');

const app = createApp({
  ...platform,
  ...tts,
  checks: { ...platform.checks, ...tts.checks },
  ...(local ? { localFiles: { storage: local, signingSecret } } : {}),
  erasure: { events: platform.events, storage },
  readyTimeoutMs: config.READY_TIMEOUT_MS,
});
await platform.events.start();
const server = await listen(app, config.PORT);
logger.info({ port: config.PORT }, 'tts service listening');

onShutdown(logger, async () => {
  await closeServer(server);
  await platform.close();
});
