import { availableParallelism } from 'node:os';
import { PollyClient } from '@aws-sdk/client-polly';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import type { Cache } from '@learner/common/cache';
import type { Pool } from '@learner/common/db';
import type { Check } from '@learner/common/health';
import type { Logger } from '@learner/common/logger';
import { findExecutable } from '@learner/common/process';
import { awsClientConfig, awsConfigured, type ObjectStorage } from '@learner/common/storage';
import { createAudioService, type AudioService, type SynthesisLimits } from './audio/audio-service.js';
import type { TtsConfig } from './config.js';
import { createAudioEncoder } from './engines/audio-encoder.js';
import { createLocalSpeechEngine } from './engines/local-speech-engine.js';
import { createHibariVoice, type NeuralVoice } from './engines/neural-voice.js';
import { createPollySpeechEngine } from './engines/polly-speech-engine.js';
import type { SpeechEngine } from './engines/speech-engine.js';

/** The settings that choose and run a speech engine. */
export type SpeechEngineConfig = Pick<
  TtsConfig,
  'AWS_REGION' | 'AWS_ENDPOINT_URL' | 'AWS_ACCESS_KEY_ID' | 'AWS_SECRET_ACCESS_KEY' | 'AWS_SESSION_TOKEN' | 'FLITE_PATH' | 'ESPEAK_PATH' | 'HIBARI_URL' | 'SYNTHESIS_TIMEOUT_MS'
> & {
  /** Without it (or when it is not installed), audio is encoded by the WebAssembly encoder. */
  FFMPEG_PATH?: string | undefined;
};

export interface ConfiguredSpeechEngine {
  engine: SpeechEngine;
  /** The warm neural voice, when the local engines speak and its server is configured. */
  neural?: NeuralVoice;
  /** What was chosen, for the log. */
  description: Record<string, unknown>;
}

/** Amazon Polly when AWS is configured; else the local engines installed here and the neural voice server. */
export async function createConfiguredSpeechEngine(config: SpeechEngineConfig): Promise<ConfiguredSpeechEngine> {
  if (awsConfigured(config)) {
    // Polly's client picks HTTP/2 by default, which emulators speaking only HTTP/1.1 refuse.
    const client = new PollyClient({ ...awsClientConfig(config), maxAttempts: 2, requestHandler: new NodeHttpHandler() });
    return {
      engine: createPollySpeechEngine({ client }),
      description: { engine: 'polly', region: config.AWS_REGION, endpoint: config.AWS_ENDPOINT_URL },
    };
  }
  const [flitePath, espeakPath, ffmpegPath] = await Promise.all([
    findExecutable(config.FLITE_PATH),
    findExecutable(config.ESPEAK_PATH),
    config.FFMPEG_PATH ? findExecutable(config.FFMPEG_PATH) : undefined,
  ]);
  const encoder = createAudioEncoder({ ...(ffmpegPath ? { ffmpegPath } : {}), timeoutMs: config.SYNTHESIS_TIMEOUT_MS });
  const neural = config.HIBARI_URL ? createHibariVoice({ baseUrl: config.HIBARI_URL, timeoutMs: config.SYNTHESIS_TIMEOUT_MS }) : undefined;
  const engine = createLocalSpeechEngine({
    ...(neural ? { neural } : {}),
    ...(flitePath ? { flitePath } : {}),
    ...(espeakPath ? { espeakPath } : {}),
    encoder,
    timeoutMs: config.SYNTHESIS_TIMEOUT_MS,
  });
  return {
    engine,
    ...(neural ? { neural } : {}),
    description: { engine: 'local', neural: neural?.url ?? 'none', flite: flitePath, espeak: espeakPath, encoder: encoder.backend },
  };
}

export interface TtsDependencies {
  engine: SpeechEngine;
  speech: AudioService;
  /** The service's own readiness checks, beside the platform's. */
  checks: Record<string, Check>;
  /** English falls back to flite while the neural voice is down: degraded, not unready. */
  optionalChecks?: Record<string, Check>;
  details: () => Record<string, unknown>;
}

/**
 * Builds the tts service from its configuration and the connections it is given: the one place
 * main.ts, the tests and the benchmarks get it from. `engine` replaces the configured one (an
 * engine whose server cannot be reached, in tests).
 */
export async function createTtsDependencies(options: {
  config: SpeechEngineConfig & Pick<TtsConfig, 'SYNTHESIS_CONCURRENCY' | 'SYNTHESIS_QUEUE'>;
  pool: Pool;
  storage: ObjectStorage;
  cache: Cache;
  logger?: Logger;
  engine?: SpeechEngine;
}): Promise<TtsDependencies> {
  const { config, logger } = options;
  const configured = options.engine ? { engine: options.engine, description: { engine: options.engine.name } } : await createConfiguredSpeechEngine(config);
  const { engine } = configured;
  const neural = 'neural' in configured ? configured.neural : undefined;
  logger?.info(configured.description, `speech engine: ${engine.name === 'polly' ? 'Amazon Polly' : 'local'}`);
  const limits: SynthesisLimits = {
    concurrency: config.SYNTHESIS_CONCURRENCY || (engine.name === 'polly' ? 8 : availableParallelism()),
    queue: config.SYNTHESIS_QUEUE,
  };
  logger?.info(limits, 'synthesis limits');
  const speech = createAudioService({ pool: options.pool, storage: options.storage, engine, cache: options.cache, limits, ...(logger ? { logger } : {}) });
  return {
    engine,
    speech,
    checks: { storage: () => options.storage.check(), speech: () => speech.check() },
    ...(neural ? { optionalChecks: { neural_voice: () => neural.check() } } : {}),
    details: () => ({ speech_engine: engine.name, neural_voice: neural ? { voice_id: neural.voice.id, url: neural.url } : 'none' }),
  };
}
