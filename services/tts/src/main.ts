import { availableParallelism } from 'node:os';
import { PollyClient } from '@aws-sdk/client-polly';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { createMemoryCache, createRedisCache } from '@learner/common/cache';
import { exitOnConfigError } from '@learner/common/config';
import { closeServer, listen, onShutdown } from '@learner/common/http';
import { findExecutable } from '@learner/common/process';
import { startPlatform } from '@learner/common/service';
import { awsClientConfig, awsConfigured, createStorageFromEnv } from '@learner/common/storage';
import { createApp } from './app.js';
import { createSpeechService } from './audio/speech-service.js';
import { loadConfig } from './config.js';
import { createAudioEncoder } from './engines/audio-encoder.js';
import { createLocalSpeechEngine } from './engines/local-speech-engine.js';
import { createHibariVoice, type NeuralVoice } from './engines/neural-voice.js';
import { createPollySpeechEngine } from './engines/polly-speech-engine.js';
import type { SpeechEngine } from './engines/speech-engine.js';

const config = exitOnConfigError(() => loadConfig(process.env));
const platform = await startPlatform({ service: 'tts', database: 'tts', config, fromDir: import.meta.dirname });
const { logger } = platform;
const { storage, local, signingSecret } = createStorageFromEnv(config, 'tts', config.INTERNAL_TOKEN_SECRET, logger);

let engine: SpeechEngine;
let neural: NeuralVoice | undefined;
if (awsConfigured(config)) {
  // Polly's client picks HTTP/2 by default, which emulators speaking only HTTP/1.1 refuse.
  const client = new PollyClient({ ...awsClientConfig(config), maxAttempts: 2, requestHandler: new NodeHttpHandler() });
  engine = createPollySpeechEngine({ client });
  logger.info({ region: config.AWS_REGION, endpoint: config.AWS_ENDPOINT_URL }, 'speech engine: Amazon Polly');
} else {
  const [flitePath, espeakPath, ffmpegPath] = await Promise.all([
    findExecutable(config.FLITE_PATH),
    findExecutable(config.ESPEAK_PATH),
    findExecutable(config.FFMPEG_PATH),
  ]);
  const encoder = createAudioEncoder({ ...(ffmpegPath ? { ffmpegPath } : {}), timeoutMs: config.SYNTHESIS_TIMEOUT_MS });
  neural = config.HIBARI_URL ? createHibariVoice({ baseUrl: config.HIBARI_URL, timeoutMs: config.SYNTHESIS_TIMEOUT_MS }) : undefined;
  engine = createLocalSpeechEngine({
    ...(neural ? { neural } : {}),
    ...(flitePath ? { flitePath } : {}),
    ...(espeakPath ? { espeakPath } : {}),
    encoder,
    timeoutMs: config.SYNTHESIS_TIMEOUT_MS,
  });
  logger.info({ neural: neural?.url ?? 'none', flite: flitePath, espeak: espeakPath, encoder: encoder.backend }, 'speech engine: local');
}

const cache = platform.redis ? createRedisCache(platform.redis, 'tts:') : createMemoryCache();
const limits = {
  concurrency: config.SYNTHESIS_CONCURRENCY || (engine.name === 'polly' ? 8 : availableParallelism()),
  queue: config.SYNTHESIS_QUEUE,
};
logger.info(limits, 'synthesis limits');
const speech = createSpeechService({ pool: platform.pool, storage, engine, cache, logger, limits });
// Finding the installed voices once now keeps the first request fast and logs a broken install early.
const voices = await speech.listVoices().catch((err: unknown) => {
  logger.warn({ err }, 'could not list voices');
  return [];
});
logger.info({ voices: voices.length }, 'voices available');

const app = createApp({
  ...platform,
  checks: { ...platform.checks, storage: () => storage.check(), speech: () => speech.check() },
  // English falls back to flite while the neural voice is down: degraded, not unready.
  ...(neural ? { optionalChecks: { neural_voice: () => neural.check() } } : {}),
  details: () => ({ speech_engine: engine.name, neural_voice: neural ? { voice_id: neural.voice.id, url: neural.url } : 'none' }),
  speech,
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
